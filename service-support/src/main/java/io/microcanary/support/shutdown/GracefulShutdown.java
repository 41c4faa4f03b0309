package io.microcanary.support.shutdown;

import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.runtime.graceful.GracefulShutdownCapable;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * SIGTERM without losing a request, for a pod that Kubernetes deletes (a rolling update, a drain, a canary abort):
 * readiness answers 503 at once; the server keeps accepting and serving for {@code drain-delay}, while kube-proxy and
 * any ingress, which learn of the endpoint's removal asynchronously, may still send it new connections; then it stops
 * accepting, lets the requests in flight finish (at most {@code grace-period}; kept-alive connections are closed
 * between requests) and the process exits as a SIGTERM-ed JVM does, with 143.
 *
 * <p>Why here rather than in a {@code preStop} hook: the images are distroless (no shell or {@code sleep} to run),
 * the {@code sleep} action is missing from Kubernetes 1.28's API, and an {@code httpGet} hook would put a
 * "stop serving" trigger on the service's own port. Why not JVM shutdown hooks: Micronaut's hook stops the server
 * straight away, and hooks run concurrently, so none can hold it back; the TERM handler runs before any of them.
 */
@Singleton
final class GracefulShutdown implements ApplicationEventListener<ServerStartupEvent> {

    private static final Logger LOG = LoggerFactory.getLogger(GracefulShutdown.class);
    private static final Signal TERM = new Signal("TERM");
    static final int EXIT_AFTER_SIGTERM = 128 + 15;

    private final ShutdownSettings settings;
    private final Draining draining;
    private final AtomicBoolean started = new AtomicBoolean();
    private volatile SignalHandler previous;

    GracefulShutdown(ShutdownSettings settings, Draining draining) {
        this.settings = settings;
        this.draining = draining;
    }

    @Override
    public void onApplicationEvent(ServerStartupEvent event) {
        EmbeddedServer server = event.getSource();
        try {
            previous = Signal.handle(TERM, signal -> {
                if (started.compareAndSet(false, true)) {
                    new Thread(() -> {
                        drainAndStop(server);
                        System.exit(EXIT_AFTER_SIGTERM);
                    }, "graceful-shutdown").start();
                }
            });
        } catch (IllegalArgumentException reservedByTheJvm) {
            // -Xrs, or a JVM that keeps TERM for itself: the default shutdown (no drain) still applies
            LOG.warn("SIGTERM cannot be handled here ({}): stopping without a drain", reservedByTheJvm.getMessage());
        }
    }

    /** Unready, serving for the drain delay, then no new connections and the requests in flight finished. */
    void drainAndStop(EmbeddedServer server) {
        draining.begin();
        Duration drain = settings.drainDelay();
        LOG.info("SIGTERM: readiness is DOWN; serving for {} more while callers stop sending, then stopping", drain);
        try {
            // the drain itself: a fixed time the routing layers need, not a wait for a condition this process can see
            Thread.sleep(drain.toMillis());
            if (server instanceof GracefulShutdownCapable capable) {
                capable.shutdownGracefully().toCompletableFuture()
                        .get(settings.gracePeriod().toMillis(), TimeUnit.MILLISECONDS);
            }
            LOG.info("stopped accepting; the requests in flight have finished");
        } catch (TimeoutException e) {
            LOG.warn("requests still in flight after {}: stopping anyway", settings.gracePeriod());
        } catch (ExecutionException e) {
            LOG.warn("graceful stop of the server failed; stopping anyway", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A context that stops (tests start several in one JVM) gives SIGTERM back to whoever had it. */
    @PreDestroy
    void restoreSignalHandler() {
        SignalHandler handler = previous;
        if (handler != null) {
            Signal.handle(TERM, handler);
        }
    }
}
