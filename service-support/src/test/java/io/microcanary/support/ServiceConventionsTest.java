package io.microcanary.support;

import io.microcanary.testsupport.http.Http;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServiceConventionsTest {

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
    void aServiceCanOverrideAConvention() {
        try (ApplicationContext context = ApplicationContext.run(Map.of("endpoints.prometheus.enabled", false))) {
            assertEquals(false, context.getProperty("endpoints.prometheus.enabled", Boolean.class).orElseThrow());
            assertEquals(true, context.getProperty("endpoints.health.enabled", Boolean.class).orElseThrow());
        }
    }

    @Test
    void conventionsSitBelowApplicationYmlAndTheEnvironment() {
        assertTrue(ServiceConventions.BELOW_APPLICATION_YML < -300, "application.yml is read at -300");
    }
}
