package io.microcanary.webapp;

import io.microcanary.support.background.BackgroundLoop;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Appends calculations to the audit trail in the background, in batches: a calculation is queued at once, and one
 * thread posts whatever queued since its last post in a single request ({@code POST /append/batch}), so a busy front
 * end pays neither an HTTP request nor a thread per calculation. The audit is a side effect: it never delays or
 * fails the page. A batch auditservice does not take (down, slow, a 5xx) is kept and posted again, a little later
 * each time in a row, so an outage loses nothing; a batch it refuses as bad (a 4xx) cannot succeed by repeating and
 * is logged and dropped. Meanwhile calculations queue up to a bound, past which they are not audited, counted
 * ({@code micro_canary_audit_dropped_total}) and logged at most every 10 s. A post that timed out may have been
 * stored all the same: posting it again can record those calculations twice (at least once, never lost).
 */
@Singleton
final class AuditAppender implements ApplicationEventListener<ServerStartupEvent> {

    static final int BATCH = 500;
    private static final Logger LOG = LoggerFactory.getLogger(AuditAppender.class);
    private static final Duration DROP_LOG_INTERVAL = Duration.ofSeconds(10);
    private static final Duration WAIT_FOR_WORK = Duration.ofMillis(250); // also how long stopping may wait
    /** After a post that did not fill a batch, the sender waits this long: under load a post then carries tens. */
    private static final Duration GATHER = Duration.ofMillis(10);

    private final Downstream.Audit audit;
    private final BlockingQueue<Downstream.AuditAppend> queued;
    private final int bound;
    private final Counter dropped;
    private final BackgroundLoop sender;
    private volatile Instant lastDropLog = Instant.EPOCH;
    /** The sender thread's own: calculations taken from the queue that auditservice has not yet taken. */
    private final List<Downstream.AuditAppend> unsent = new ArrayList<>();

    AuditAppender(Downstream.Audit audit, MeterRegistry meters,
                  @Value("${micro-canary.audit.buffer-size:10000}") int bound) {
        this.audit = audit;
        this.bound = bound;
        this.queued = new ArrayBlockingQueue<>(bound);
        this.dropped = Counter.builder("micro_canary.audit.dropped")
                .description("calculations not audited because the queue was full while auditservice was unavailable")
                .register(meters);
        this.sender = BackgroundLoop.named("audit-appender")
                .backingOff(Duration.ofMillis(100), Duration.ofSeconds(2))
                .reportingFailuresTo((failure, retryIn) -> LOG.warn("{}; the calculations were shown anyway, posting again in {} ms",
                        failure.getMessage(), retryIn.toMillis()))
                .running(this::sendQueued);
    }

    @Override
    public void onApplicationEvent(ServerStartupEvent event) {
        sender.start();
    }

    @PreDestroy
    void stop() throws InterruptedException {
        sender.stop();
    }

    /** Queues the calculation for the audit trail; returns at once, whatever state auditservice is in. */
    void append(String calc, long result) {
        if (!queued.offer(new Downstream.AuditAppend(calc, result))) {
            dropped.increment();
            logDropsAtMostOncePerInterval();
        }
    }

    long droppedTotal() {
        return (long) dropped.count();
    }

    /** One round: posts what the last round could not, or waits briefly for a calculation and whatever queued with it. */
    private void sendQueued() throws InterruptedException {
        if (unsent.isEmpty()) {
            Downstream.AuditAppend first = queued.poll(WAIT_FOR_WORK.toMillis(), TimeUnit.MILLISECONDS);
            if (first == null) {
                return;
            }
            unsent.add(first);
            queued.drainTo(unsent, BATCH - 1);
        }
        int posting = unsent.size();
        try {
            post();
        } catch (HttpClientResponseException e) {
            if (e.getStatus().getCode() >= 500) {
                throw new AuditUnavailable(unsent.size(), e);
            }
            LOG.error("auditservice refused {} calculations ({}): not audited", unsent.size(), e.getStatus().getCode());
            unsent.clear();
        } catch (RuntimeException e) {
            throw new AuditUnavailable(unsent.size(), e); // kept for the round after the back-off
        }
        if (posting < BATCH) {
            sender.pause(GATHER);
        }
    }

    /** Takes each calculation off {@code unsent} only once auditservice has it. */
    private void post() {
        if (audit.appendAll(unsent) != null) {
            unsent.clear();
            return;
        }
        // an auditservice from before the batch route (a rolling update, a canary): one request each, as before
        while (!unsent.isEmpty()) {
            audit.append(unsent.get(0));
            unsent.remove(0);
        }
    }

    private void logDropsAtMostOncePerInterval() {
        Instant now = Instant.now();
        if (now.isAfter(lastDropLog.plus(DROP_LOG_INTERVAL))) {
            lastDropLog = now;
            LOG.warn("calculations are not being audited: {} wait for auditservice, the most that may ({} dropped so far)",
                    bound, droppedTotal());
        }
    }

    /** A batch auditservice did not take: kept, and the loop backs off before posting it again. */
    private static final class AuditUnavailable extends RuntimeException {
        AuditUnavailable(int calculations, RuntimeException cause) {
            super("audit append of " + calculations + " calculations failed (" + cause.getClass().getSimpleName() + ")",
                    cause, false, false);
        }
    }
}
