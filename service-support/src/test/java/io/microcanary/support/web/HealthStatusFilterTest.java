package io.microcanary.support.web;

import io.microcanary.testsupport.http.Http;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.annotation.Requires;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.endpoint.health.filter.HealthResultFilter;
import io.micronaut.management.health.indicator.AbstractHealthIndicator;
import io.micronaut.runtime.server.EmbeddedServer;
import jakarta.inject.Singleton;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** The health status filter that matches every path still answers a down service's health with a 503. */
class HealthStatusFilterTest {

    @Test
    void aDownServiceAnswersItsHealthWith503AndEverythingElseAsBefore() {
        try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class,
                Map.of("spec.name", "HealthStatusFilterTest"))) {
            assertInstanceOf(HealthStatusFilter.class, server.getApplicationContext().getBean(HealthResultFilter.class));
            Http http = Http.at(server.getURI());

            assertEquals(503, http.get("/health").status());
            assertEquals(503, http.get("/health/readiness").status());
            assertEquals(200, http.get("/health/liveness").status(), "liveness has no indicator that is down");
            assertEquals(404, http.get("/no-such-route").status());
        }
    }

    @Test
    void anUpServiceAnswersItsHealthWith200() {
        try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class)) {
            assertEquals(200, Http.at(server.getURI()).get("/health/readiness").status());
        }
    }

    @Singleton
    @Requires(property = "spec.name", value = "HealthStatusFilterTest")
    static class Down extends AbstractHealthIndicator<String> {
        @Override
        protected String getHealthInformation() {
            healthStatus = HealthStatus.DOWN;
            return "down on purpose";
        }

        @Override
        protected String getName() {
            return "down";
        }
    }
}
