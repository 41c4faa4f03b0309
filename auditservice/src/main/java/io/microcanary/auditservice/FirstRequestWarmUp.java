package io.microcanary.auditservice;

import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.context.event.StartupEvent;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * While the server starts, does once, on a thread of its own, what the first {@code GET /list} after every start
 * otherwise pays for: the controller with its validation, the collection's index (created on first use) and the
 * driver's find path: bench/startup.sh, JDK 17, first GET /list 77 -> 17 ms, ready 2019 -> 1820 ms (medians of 3).
 * Readiness does not wait for it; with MongoDB down it gives up within {@code mongodb.timeout}.
 */
@Singleton
class FirstRequestWarmUp implements ApplicationEventListener<StartupEvent> {

    private static final Logger LOG = LoggerFactory.getLogger(FirstRequestWarmUp.class);

    private final AuditController controller;

    FirstRequestWarmUp(AuditController controller) {
        this.controller = controller;
    }

    @Override
    public void onApplicationEvent(StartupEvent event) {
        // beside the rest of the start-up (the server's, the store client's), not before it: ready does not wait
        Thread warmUp = new Thread(this::warmUp, "first-request-warm-up");
        warmUp.setDaemon(true);
        warmUp.start();
    }

    private void warmUp() {
        try {
            controller.list(1);
        } catch (RuntimeException e) {
            LOG.debug("warm-up incomplete: {}", e.toString()); // MongoDB is down: readiness reports it
        }
    }
}
