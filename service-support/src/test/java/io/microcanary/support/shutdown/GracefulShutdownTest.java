package io.microcanary.support.shutdown;

import io.microcanary.testsupport.Poller;
import io.microcanary.testsupport.http.Http;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GracefulShutdownTest {

    @Test
    void noDrainOutsideKubernetesAndFifteenSecondsForRequestsInFlight() {
        try (ApplicationContext context = ApplicationContext.run()) {
            assertEquals(new ShutdownSettings(Duration.ZERO, Duration.ofSeconds(15)), context.getBean(ShutdownSettings.class));
        }
    }

    @Test
    void aDeploymentSetsTheDrainDelay() {
        try (ApplicationContext context = ApplicationContext.run(Map.of("micro-canary.shutdown.drain-delay", "10s"))) {
            assertEquals(Duration.ofSeconds(10), context.getBean(ShutdownSettings.class).drainDelay());
        }
    }

    @Test
    void aNegativeDrainDelayFailsStartUpNamingTheKey() {
        Exception failure = assertThrows(Exception.class, () -> {
            try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class,
                    Map.of("micro-canary.shutdown.drain-delay", "-1s"))) {
                server.getPort();
            }
        });
        assertTrue(causes(failure).contains("micro-canary.shutdown.drain-delay must not be negative"), causes(failure));
    }

    @Test
    void servesUnreadyForTheDrainDelayThenRefusesNewConnectionsAndFinishesTheRequestInFlight() throws Exception {
        try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, Map.of(
                "spec.name", "GracefulShutdownTest", "micro-canary.shutdown.drain-delay", "2s"))) {
            Http http = Http.at(server.getURI()).withTimeout(Duration.ofSeconds(5));
            SlowController slow = server.getApplicationContext().getBean(SlowController.class);
            CompletableFuture<HttpResponse<String>> inFlight = HttpClient.newHttpClient().sendAsync(
                    HttpRequest.newBuilder(server.getURI().resolve("/slow")).build(), HttpResponse.BodyHandlers.ofString());
            assertTrue(slow.entered.await(10, TimeUnit.SECONDS), "the slow request reached its controller");

            GracefulShutdown shutdown = server.getApplicationContext().getBean(GracefulShutdown.class);
            CompletableFuture<Void> stopped = CompletableFuture.runAsync(() -> shutdown.drainAndStop(server));

            Poller.within(Duration.ofSeconds(5)).until("readiness to answer 503",
                    () -> http.get("/health/readiness").status() == 503);
            assertTrue(accepts(server.getPort()), "still accepting connections while draining");
            assertEquals(200, http.get("/health/liveness").status(), "still serving while draining");

            Poller.within(Duration.ofSeconds(10)).until("new connections to be refused after the drain delay",
                    () -> !accepts(server.getPort()));
            assertFalse(inFlight.isDone(), "the request in flight is still being served");
            slow.release.countDown();
            HttpResponse<String> answer = inFlight.get(10, TimeUnit.SECONDS);
            assertEquals(200, answer.statusCode());
            assertEquals("finished", answer.body());
            stopped.get(10, TimeUnit.SECONDS);
        }
    }

    private static boolean accepts(int port) {
        try (Socket ignored = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return true;
        } catch (ConnectException refused) {
            return false;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String causes(Throwable failure) {
        StringBuilder all = new StringBuilder();
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            all.append(cause.getMessage()).append('\n');
        }
        return all.toString();
    }

    @Controller("/slow")
    @Requires(property = "spec.name", value = "GracefulShutdownTest")
    static final class SlowController {

        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Get
        @ExecuteOn(TaskExecutors.BLOCKING)
        String slow() throws InterruptedException {
            entered.countDown();
            return release.await(20, TimeUnit.SECONDS) ? "finished" : "never released";
        }
    }
}
