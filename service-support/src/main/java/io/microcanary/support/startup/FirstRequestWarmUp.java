package io.microcanary.support.startup;

import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;

/**
 * Does once, as soon as the server has started, the one-time work a service's first request otherwise pays for
 * after every start: beans created on first use, a store driver's first query, a first page rendered (issue 17: the
 * first request after ready within 20 ms). It runs on a daemon thread of its own, so readiness does not wait for it:
 * run before readiness, a warm-up moved more time into ready than it took out of the first request. Not at the
 * context's start either: on two cores it then competed with the server's own start and made ready ~150 ms later
 * (bench/startup.sh, addressbook and eventservice, interleaved).
 *
 * <p>A service's warm-up is a {@code @Singleton} subclass. It takes the beans it uses through {@code BeanProvider}, so
 * that they are created on the warm-up's thread, not on the start-up's, and it must not change what a request can
 * observe (no writes, no counters). If it fails, a store being down say, the first request does the work instead.
 */
public abstract class FirstRequestWarmUp implements ApplicationEventListener<ServerStartupEvent> {

    private static final Logger LOG = LoggerFactory.getLogger(FirstRequestWarmUp.class);

    private final CompletableFuture<Void> done = new CompletableFuture<>();

    /** What the first request would do once: called once, on the warm-up's thread. */
    protected abstract void warmUp() throws Exception;

    @Override
    public final void onApplicationEvent(ServerStartupEvent event) {
        Thread thread = new Thread(this::run, "first-request-warm-up");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            warmUp();
            done.complete(null);
        } catch (Exception e) {
            // a store that is down: readiness reports it, and the first request does the work instead
            LOG.debug("{} incomplete: {}", getClass().getSimpleName(), e.toString());
            done.completeExceptionally(e);
        }
    }

    /** Completes when the warm-up has run, exceptionally if it failed (for tests). */
    public final CompletableFuture<Void> done() {
        return done;
    }
}
