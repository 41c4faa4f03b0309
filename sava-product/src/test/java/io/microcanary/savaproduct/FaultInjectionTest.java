package io.microcanary.savaproduct;

import io.microcanary.testsupport.http.Http;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.microcanary.testsupport.http.Problems.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FaultInjectionTest {

    private static EmbeddedServer start(Map<String, Object> settings) {
        Map<String, Object> properties = new java.util.HashMap<>(settings);
        properties.put("micronaut.server.port", -1);
        return ApplicationContext.run(EmbeddedServer.class, properties);
    }

    @Test
    void offByDefault() {
        try (EmbeddedServer server = start(Map.of())) {
            FaultSettings settings = server.getApplicationContext().getBean(FaultSettings.class);
            assertEquals(new FaultSettings(0, 0), settings);
            assertEquals(200, Http.at(server.getURI()).get("/products/ie").status());
            assertTrue(server.getApplicationContext().findBean(FaultInjection.class).isEmpty(),
                    "with both switches off the filter is not in the request path");
        }
    }

    @Test
    void theEnvironmentVariablesBindToTheSettings() {
        try (ApplicationContext context = ApplicationContext.builder()
                .properties(Map.of("fault.error-rate", "0.3", "fault.latency-ms", "250")).start()) {
            assertEquals(new FaultSettings(0.3, 250), context.getBean(FaultSettings.class));
        }
    }

    @Test
    void anErrorRateOfOneFailsEveryCatalogueRequestButNotTheProbes() {
        try (EmbeddedServer server = start(Map.of("fault.error-rate", "1"))) {
            Http http = Http.at(server.getURI());

            assertEquals("Injected fault (FAULT_ERROR_RATE=1.0).",
                    assertProblem(http.get("/products/ie"), 500).get("detail").asText());
            assertEquals(200, http.get("/health/readiness").status());
        }
    }

    @Test
    void aPartialErrorRateFailsAboutThatShare() {
        try (EmbeddedServer server = start(Map.of("fault.error-rate", "0.3"))) {
            Http http = Http.at(server.getURI());
            int failures = 0;
            for (int i = 0; i < 400; i++) {
                failures += http.get("/products/ie").status() == 500 ? 1 : 0;
            }
            // binomial(400, 0.3): mean 120, sd 9.2; these bounds are more than 5 sd away
            assertTrue(failures > 70 && failures < 170, failures + " of 400 failed");
        }
    }

    @Test
    void latencyDelaysEveryCatalogueRequest() {
        try (EmbeddedServer server = start(Map.of("fault.latency-ms", "300"))) {
            Http http = Http.at(server.getURI());
            long started = System.nanoTime();
            Http.Response response = http.get("/products/ie");
            assertEquals(200, response.status(), response::toString);
            long elapsedMillis = (System.nanoTime() - started) / 1_000_000;
            assertTrue(elapsedMillis >= 300, "took " + elapsedMillis + " ms");
        }
    }

    @Test
    void anErrorRateAboveOneStopsTheStartNamingTheKey() {
        RuntimeException error = assertThrows(RuntimeException.class,
                () -> start(Map.of("fault.error-rate", "1.5")).close());
        StringBuilder messages = new StringBuilder();
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            messages.append(cause.getMessage()).append('\n');
        }
        assertTrue(messages.toString().contains("errorRate") && messages.toString().contains("must be less than or equal to 1"),
                messages::toString);
    }
}
