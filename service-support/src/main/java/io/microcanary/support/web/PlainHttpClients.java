package io.microcanary.support.web;

import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.http.client.ServiceHttpClientConfiguration;
import io.micronaut.http.ssl.SslConfiguration;
import jakarta.inject.Singleton;

import java.net.URI;
import java.util.List;

/**
 * A service-to-service client whose URLs are all plain {@code http://} (every one in the cluster: sava-cart's
 * catalogue, webapp's three services) gets no TLS set-up. Micronaut builds a client's TLS context when it creates
 * the client, whatever its URLs, and a client is created by the first request that uses it: that request loaded
 * and initialised the JDK's TLS stack and Netty's (~500 of the ~1,200 classes sava-cart's first page loaded) and
 * read the certificate store. Measured on sava-cart-ie's first page (JDK 25, AOT cache, catalogue not running):
 * ~160 ms with TLS set up, ~80 ms without. A client with any {@code https://} URL, or none configured (a URL given
 * per request), keeps Micronaut's default.
 *
 * <p>The client's TLS settings are replaced, not switched off in place: Micronaut shares one settings object
 * between the default client and every service's client that sets nothing of its own.
 */
@Singleton
final class PlainHttpClients implements BeanCreatedEventListener<ServiceHttpClientConfiguration> {

    @Override
    public ServiceHttpClientConfiguration onCreated(BeanCreatedEvent<ServiceHttpClientConfiguration> event) {
        ServiceHttpClientConfiguration configuration = event.getBean();
        if (plainOnly(configuration.getUrls())) {
            SslConfiguration none = new SslConfiguration();
            none.setEnabled(false);
            configuration.setSslConfiguration(none);
        }
        return configuration;
    }

    static boolean plainOnly(List<URI> urls) {
        return !urls.isEmpty() && urls.stream().allMatch(url -> "http".equalsIgnoreCase(url.getScheme()));
    }
}
