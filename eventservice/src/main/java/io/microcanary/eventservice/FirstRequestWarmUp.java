package io.microcanary.eventservice;

import io.micronaut.context.BeanProvider;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.context.event.StartupEvent;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;

/**
 * While the server starts, does once, on a thread of its own, the one-time work the first {@code GET /summary} after
 * every start otherwise paid for: the controller with its validation, and the MongoDB driver's aggregate path, which
 * (with the in-memory MongoDB stand-in the dev stack and the cluster run) is also the store's first aggregation.
 * Profiled (async-profiler, wall clock) on the first {@code GET /summary}, JDK 25 with its AOT cache: ~10 ms of the
 * service's own time in the driver's first aggregate and ~6 ms in the validation of the first call, the rest of the
 * request waiting for the store. Read-only; readiness does not wait for it, and with MongoDB down it gives up within
 * {@code mongodb.timeout}.
 */
@Singleton
class FirstRequestWarmUp implements ApplicationEventListener<StartupEvent> {

    private static final Logger LOG = LoggerFactory.getLogger(FirstRequestWarmUp.class);

    private final BeanProvider<SummaryController> controller;
    private final CompletableFuture<Void> done = new CompletableFuture<>();

    // a provider, so that the controller and the store are created on the warm-up's thread, not on the start-up's
    FirstRequestWarmUp(BeanProvider<SummaryController> controller) {
        this.controller = controller;
    }

    @Override
    public void onApplicationEvent(StartupEvent event) {
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
