package io.microcanary.support.startup;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.runtime.server.EmbeddedServer;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The training run sends the service's own requests (its {@code micro-canary/training-requests.txt}) and the probes
 * to the running server. Only the sending is tested here: with {@code micro-canary.exit-after-start} the JVM exits,
 * which DatabaseCommandsIT checks in a process of its own.
 */
class TrainingRunTest {

    private static final AtomicInteger GETS = new AtomicInteger();
    private static final AtomicInteger FORMS = new AtomicInteger();

    @Test
    void itSendsTheServicesOwnRequestsAndTheProbesRoundAfterRound() {
        try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, Map.of("spec.name", "TrainingRunTest"))) {
            // three seconds: round after round even on a busy machine, where one round may take most of a second
            int answered = new TrainingRun(3).train(server.getPort());

            assertTrue(GETS.get() >= 2 && FORMS.get() >= 2, "more than one round: GET " + GETS + ", POST " + FORMS);
            assertTrue(answered >= GETS.get() + FORMS.get() + 4, answered + " answered");
        }
    }

    @Controller("/trained")
    @Requires(property = "spec.name", value = "TrainingRunTest")
    static class Trained {
        @Get
        String get() {
            GETS.incrementAndGet();
            return "trained";
        }

        @Post(consumes = MediaType.APPLICATION_FORM_URLENCODED)
        String post(@Body Map<String, String> form) {
            if ("form".equals(form.get("name"))) {
                FORMS.incrementAndGet();
            }
            return "trained";
        }
    }
}
