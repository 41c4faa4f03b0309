package io.microcanary.support;

import io.microcanary.testsupport.http.Http;
import io.micronaut.context.ApplicationContext;
import io.micronaut.http.client.HttpClientConfiguration;
import io.micronaut.http.client.ServiceHttpClientConfiguration;
import io.micronaut.inject.qualifiers.Qualifiers;
import io.micronaut.runtime.server.EmbeddedServer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServiceConventionsTest {

    private static final String MAX_REQUEST_SIZE = "micronaut.server.max-request-size";

    @Test
    void everyServiceGetsProbesAndMetricsWithoutConfiguringThem() {
        try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class)) {
            Http http = Http.at(server.getURI());

            assertEquals(200, http.get("/health/liveness").status());
            assertEquals(200, http.get("/health/readiness").status());
            http.get("/health");
            Http.Response metrics = http.get("/prometheus");
            assertEquals(200, metrics.status(), metrics::toString);
            assertTrue(metrics.body().contains("http_server_requests_seconds_bucket{"), "latency published as buckets");
            assertTrue(metrics.body().contains("le=\"+Inf\""), "with an open top bucket");
        }
    }

    @Test
    void onlyRequestMetricsArePublishedUnlessJvmMetricsAreAskedFor() {
        try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class)) {
            String metrics = metricsAfterOneRequest(server);

            assertTrue(metrics.contains("http_server_requests_seconds"), metrics);
            for (String unpublished : List.of("jvm_memory_used_bytes", "jvm_gc_", "process_uptime_seconds",
                    "system_cpu_count", "process_files_open_files", "logback_events_total")) {
                assertFalse(metrics.contains(unpublished), unpublished + " is published:\n" + metrics);
            }
        }
        try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class,
                Map.of("micronaut.metrics.binders.jvm.enabled", true))) {
            String metrics = metricsAfterOneRequest(server);

            assertTrue(metrics.contains("jvm_memory_used_bytes"), "a Deployment can add the JVM's metrics:\n" + metrics);
        }
    }

    /** /prometheus once a request has been served: the meter registry, and the binders' meters, come with the first. */
    private static String metricsAfterOneRequest(EmbeddedServer server) {
        Http http = Http.at(server.getURI());
        http.get("/health/liveness");
        return http.get("/prometheus").body();
    }

    @Test
    void aServiceCanOverrideAConvention() {
        try (ApplicationContext context = ApplicationContext.run(Map.of("endpoints.prometheus.enabled", false))) {
            assertEquals(false, context.getProperty("endpoints.prometheus.enabled", Boolean.class).orElseThrow());
            assertEquals(true, context.getProperty("endpoints.health.enabled", Boolean.class).orElseThrow());
        }
    }

    @Test
    void everyServiceClientRetiresItsConnectionsAfterFiveSeconds() {
        try (ApplicationContext context = ApplicationContext.run(
                Map.of("micronaut.http.services.catalogue.url", "http://127.0.0.1:9070"))) {
            assertEquals(Optional.of(Duration.ofSeconds(5)), context.getBean(HttpClientConfiguration.class).getConnectTtl());
            assertEquals(Optional.of(Duration.ofSeconds(5)), serviceClient(context, "catalogue").getConnectTtl(),
                    "a named client inherits the lifetime");
        }
    }

    @Test
    void oneClientCanLiveLonger() {
        try (ApplicationContext context = ApplicationContext.run(Map.of(
                "micronaut.http.services.catalogue.url", "http://127.0.0.1:9070",
                "micronaut.http.services.catalogue.connect-ttl", "30s"))) {
            assertEquals(Optional.of(Duration.ofSeconds(30)), serviceClient(context, "catalogue").getConnectTtl());
        }
    }

    private static ServiceHttpClientConfiguration serviceClient(ApplicationContext context, String id) {
        return context.getBean(ServiceHttpClientConfiguration.class, Qualifiers.byName(id));
    }

    @Test
    void aServicesApplicationYmlOverridesAConvention() {
        try (ApplicationContext conventionsOnly = ApplicationContext.run()) {
            assertEquals("1MB", conventionsOnly.getProperty(MAX_REQUEST_SIZE, String.class).orElseThrow());
        }
        // read as a service's application.yml is, from a directory of its own so that no other test sees it
        try (ApplicationContext service = ApplicationContext.builder().overrideConfigLocations("classpath:/conventions/")
                .start()) {
            assertEquals("2MB", service.getProperty(MAX_REQUEST_SIZE, String.class).orElseThrow());
        }
    }
}
