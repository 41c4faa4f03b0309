package io.microcanary.support.startup;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.annotation.Requires;
import io.micronaut.runtime.server.EmbeddedServer;
import jakarta.inject.Singleton;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FirstRequestWarmUpTest {

    private static final String ACTIVE = "test.warm-up";

    @Test
    void theStartDoesNotWaitForTheWarmUpWhichRunsOnAThreadOfItsOwn() throws Exception {
        try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, Map.of(ACTIVE, "blocking"))) {
            BlockingWarmUp warmUp = server.getApplicationContext().getBean(BlockingWarmUp.class);
            assertTrue(warmUp.started.await(10, TimeUnit.SECONDS), "the warm-up started with the server");
            assertFalse(warmUp.done().isDone(), "the server is up while the warm-up still runs");

            warmUp.release.countDown();
            warmUp.done().get(10, TimeUnit.SECONDS);
            assertEquals("first-request-warm-up", warmUp.thread.get());
        }
    }

    @Test
    void aFailedWarmUpLeavesTheServiceRunning() throws Exception {
        try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, Map.of(ACTIVE, "failing"))) {
            CompletableFuture<Void> done = server.getApplicationContext().getBean(FailingWarmUp.class).done();

            ExecutionException failure = assertThrows(ExecutionException.class, () -> done.get(10, TimeUnit.SECONDS));
            assertInstanceOf(IllegalStateException.class, failure.getCause());
            assertTrue(server.isRunning());
        }
    }

    @Singleton
    @Requires(property = ACTIVE, value = "blocking")
    static class BlockingWarmUp extends FirstRequestWarmUp {
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final CompletableFuture<String> thread = new CompletableFuture<>();

        @Override
        protected void warmUp() throws InterruptedException {
            thread.complete(Thread.currentThread().getName());
            started.countDown();
            assertTrue(release.await(10, TimeUnit.SECONDS));
        }
    }

    @Singleton
    @Requires(property = ACTIVE, value = "failing")
    static class FailingWarmUp extends FirstRequestWarmUp {
        @Override
        protected void warmUp() {
            throw new IllegalStateException("the store is down");
        }
    }
}
