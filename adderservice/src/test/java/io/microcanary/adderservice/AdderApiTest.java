package io.microcanary.adderservice;

import io.microcanary.testsupport.http.Http;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.microcanary.testsupport.http.Problems.assertProblem;
import static io.microcanary.testsupport.http.Problems.assertViolations;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@MicronautTest
class AdderApiTest {

    @Inject
    EmbeddedServer server;

    private Http http;

    @BeforeEach
    void connect() {
        http = Http.at(server.getURI());
    }

    @Test
    void addsTwoIntegersLikeTheOriginal() {
        Http.Response response = http.get("/add/2/3");

        assertEquals(200, response.status(), response::toString);
        assertTrue(response.contentType().startsWith("application/json"), response::toString);
        assertEquals("{\"result\":5}", response.body());
    }

    @Test
    void handlesNegativesAndTheWholeLongRange() {
        assertEquals("{\"result\":-1}", http.get("/add/-4/3").body());
        assertEquals("{\"result\":9223372036854775807}", http.get("/add/9223372036854775806/1").body());
        assertEquals("{\"result\":-9223372036854775808}", http.get("/add/-9223372036854775807/-1").body());
    }

    @Test
    void aNonIntegerIsA400NamingTheField() {
        assertViolations(http.get("/add/two/3"), 400, "first");
        assertViolations(http.get("/add/2/3.5"), 400, "second");
    }

    @Test
    void aValueBeyondSixtyFourBitsIsA400NamingTheField() {
        assertViolations(http.get("/add/99999999999999999999/1"), 400, "first");
    }

    @Test
    void anOverflowingSumIsA400() {
        var problem = assertViolations(http.get("/add/9223372036854775807/1"), 400, "second");
        assertEquals("makes the sum overflow a 64-bit integer", problem.get("violations").get(0).get("message").asText());
    }

    @Test
    void aMissingOperandIsA404Problem() {
        assertProblem(http.get("/add/2"), 404);
    }

    @Test
    void probesAreUpWithoutAnyStore() {
        assertEquals(200, http.get("/health/readiness").status());
        assertEquals(200, http.get("/health/liveness").status());
    }
}
