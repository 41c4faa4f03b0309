package io.microcanary.support.startup;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * With {@code MICRO_CANARY_EXIT_AFTER_START=true} the service starts, then exits 0: a training run that loads
 * every start-up class, so {@code -XX:ArchiveClassesAtExit} can write a class-data-sharing archive that roughly
 * halves the next start-up (used by the image build and run-local.sh).
 */
@Singleton
@Requires(property = "micro-canary.exit-after-start", value = "true")
final class ExitAfterStart implements ApplicationEventListener<ServerStartupEvent> {

    private static final Logger LOG = LoggerFactory.getLogger(ExitAfterStart.class);

    @Override
    public void onApplicationEvent(ServerStartupEvent event) {
        LOG.info("started; exiting as micro-canary.exit-after-start asks");
        // a thread of its own: System.exit waits for shutdown hooks, which must not wait on this event's thread
        new Thread(() -> System.exit(0), "exit-after-start").start();
    }
}
