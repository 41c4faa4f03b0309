package io.microcanary.testsupport.http;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Assertions for the one error shape: problem+json with status, title, and violations naming fields. */
public final class Problems {

    /** Exception names, stack frames (with or without a package), library packages: text only a leak shows. */
    private static final Pattern LEAK = Pattern.compile("Exception|Caused by|\\bat [a-z]+\\.[a-zA-Z0-9_.$]+\\("
            + "|\\bat [a-z][\\w.$]+\\([\\w]+\\.java:\\d+\\)"
            + "|org\\.postgresql|io\\.micronaut|java\\.lang|com\\.mongodb|io\\.lettuce");

    private Problems() {
    }

    /** Asserts {@code response} is a problem+json body for {@code status} and returns the parsed body. */
    public static JsonNode assertProblem(Http.Response response, int status) {
        assertEquals(status, response.status(), () -> "status of " + response);
        assertTrue(response.contentType().startsWith("application/problem+json"), () -> "content type of " + response);
        JsonNode body = response.json();
        assertEquals(status, body.path("status").asInt(), () -> "status field of " + response);
        assertFalse(body.path("title").asText().isBlank(), () -> "title of " + response);
        assertNoLeak(response);
        return body;
    }

    /** Asserts a problem for {@code status} whose violations name exactly {@code fields}, in that order. */
    public static JsonNode assertViolations(Http.Response response, int status, String... fields) {
        JsonNode body = assertProblem(response, status);
        List<String> named = new ArrayList<>();
        body.path("violations").forEach(v -> {
            named.add(v.path("field").asText());
            assertFalse(v.path("message").asText().isBlank(), () -> "violation without message in " + response);
        });
        assertEquals(List.of(fields), named, () -> "violations of " + response);
        return body;
    }

    /** Whether {@code body} shows exception text, a stack frame or a library's package: what a client must never see. */
    public static boolean leaks(String body) {
        return LEAK.matcher(body).find();
    }

    public static void assertNoLeak(Http.Response response) {
        if (leaks(response.body())) {
            fail("exception text leaked into the response: " + response);
        }
    }
}
