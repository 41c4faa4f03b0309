package io.microcanary.eventservice;

import io.micronaut.context.BeanProvider;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;

/**
 * Once the server has started, does once on a thread of its own the one-time work the first {@code GET /summary} after
 * every start otherwise paid for: the controller with its validation, and the MongoDB driver's aggregate path, which
 * (with the in-memory MongoDB stand-in the dev stack and the cluster run) is also the store's first aggregation.
 * Profiled (async-profiler, wall clock) on the first {@code GET /summary}, JDK 25 with its AOT cache: ~10 ms of the
 * service's own time in the driver's first aggregate and ~6 ms in the validation of the first call, the rest of the
 * request waiting for the store. Read-only; readiness does not wait for it, and with MongoDB down it gives up within
 * {@code mongodb.timeout}. Not at the context's start: on two cores it then competed with the server's start and made
 * ready later (bench/startup.sh A/B, medians of 4: ready 1,500 -> 1,643 ms); once the server has started, ready
 * 1,804 -> 1,677 ms, first GET /summary 58 -> 13 ms (3 runs each).
 */
@Singleton
class FirstRequestWarmUp implements ApplicationEventListener<ServerStartupEvent> {

    private static final Logger LOG = LoggerFactory.getLogger(FirstRequestWarmUp.class);

    private final BeanProvider<SummaryController> controller;
    private final CompletableFuture<Void> done = new CompletableFuture<>();

    // a provider, so that the controller and the store are created on the warm-up's thread, not on the start-up's
    FirstRequestWarmUp(BeanProvider<SummaryController> controller) {
        this.controller = controller;
    }

    @Override
    public void onApplicationEvent(ServerStartupEvent event) {
        Thread warmUp = new Thread(this::warmUp, "first-request-warm-up");
        warmUp.setDaemon(true);
        warmUp.start();
    }

    private void warmUp() {
        try {
            controller.get().summary(0);
            done.complete(null);
        } catch (RuntimeException e) {
            LOG.debug("warm-up incomplete: {}", e.toString()); // MongoDB is down: readiness reports it
            done.completeExceptionally(e);
        }
    }

    /** Completes when the warm-up has run (for tests). */
    CompletableFuture<Void> done() {
        return done;
    }
}
