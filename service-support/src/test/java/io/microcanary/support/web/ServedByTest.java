package io.microcanary.support.web;

import io.microcanary.testsupport.http.Http;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.runtime.server.EmbeddedServer;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which version and pod answered, on every answer: a route's, an error's, a probe's. */
class ServedByTest {

    @Test
    void everyAnswerNamesTheVersionAndPodFromTheDownwardApi() {
        try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, Map.of("spec.name", "ServedByTest",
                "app.version", "0.1.0-9e1b7d3", "pod.name", "addressbook-canary-7d9c5-x2"))) {
            Http http = Http.at(server.getURI());
            for (String path : new String[]{"/served", "/no-such-route", "/health/liveness"}) {
                assertEquals(Optional.of("0.1.0-9e1b7d3/addressbook-canary-7d9c5-x2"),
                        http.get(path).header("X-Served-By"), path);
            }
        }
    }

    @Test
    void outsideKubernetesItIsADevBuildOnThisHost() {
        try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, Map.of("spec.name", "ServedByTest"))) {
            String servedBy = Http.at(server.getURI()).get("/served").header("X-Served-By").orElseThrow();
            assertTrue(servedBy.startsWith("dev/") && servedBy.length() > "dev/".length(), servedBy);
        }
    }

    @Controller("/served")
    @Requires(property = "spec.name", value = "ServedByTest")
    static class Served {
        @Get
        String hello() {
            return "hello";
        }
    }
}
