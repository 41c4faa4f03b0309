package io.microcanary.support.web;

import io.micronaut.context.ApplicationContext;
import io.micronaut.http.client.DefaultHttpClientConfiguration;
import io.micronaut.http.client.ServiceHttpClientConfiguration;
import io.micronaut.inject.qualifiers.Qualifiers;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PlainHttpClientsTest {

    @Test
    void onlyAClientWhoseUrlsAreAllPlainHttpGoesWithoutTls() {
        try (ApplicationContext context = ApplicationContext.run(Map.of(
                "micronaut.http.services.plain.url", "http://catalogue:9070",
                "micronaut.http.services.secure.url", "https://catalogue:9443",
                "micronaut.http.services.mixed.urls", "http://a:80,https://b:443",
                "micronaut.http.services.unset.read-timeout", "1s"))) {
            assertFalse(tls(context, "plain"));
            assertTrue(tls(context, "secure"));
            assertTrue(tls(context, "mixed"));
            assertTrue(tls(context, "unset"));
            // the default client's settings, which services without their own share, are left alone
            assertTrue(context.getBean(DefaultHttpClientConfiguration.class).getSslConfiguration().isEnabled());
        }
    }

    private static boolean tls(ApplicationContext context, String service) {
        return context.getBean(ServiceHttpClientConfiguration.class, Qualifiers.byName(service))
                .getSslConfiguration().isEnabled();
    }
}
