package io.microcanary.support.background;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A daemon thread that runs one round of work after another until stopped. A round that throws is reported and
 * followed by a pause that doubles with each failure in a row, up to a bound, and starts again from the first
 * after a round succeeds. The owner starts it from the application's lifecycle (a start-up event, never its
 * constructor) and stops it from {@code @PreDestroy}: {@link #stop()} wakes the loop's pauses and joins its thread.
 *
 * <p>A round that waits for work itself (a queue, a lock's condition) names how to wake that wait with
 * {@link Builder#wakingWith}, so that stopping does not wait for the wait to time out; a round with an inner loop
 * asks {@link #stopping()}; a round that paces itself uses {@link #pause}, which stopping cuts short.
 */
public final class BackgroundLoop {

    /** One round of work; throwing counts as a failure. {@link InterruptedException} ends the loop. */
    @FunctionalInterface
    public interface Round {
        void run() throws Exception;
    }

    /** Told of each failed round, on the loop's thread, before the pause of {@code retryIn}. */
    @FunctionalInterface
    public interface FailureReport {
        void failed(Exception failure, Duration retryIn);
    }

    private static final Logger LOG = LoggerFactory.getLogger(BackgroundLoop.class);

    private final String name;
    private final Round round;
    private final Duration firstBackoff;
    private final Duration maxBackoff;
    private final FailureReport report;
    private final Runnable wakeUp;
    private final Runnable onExit;
    private final Duration joinTimeout;
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final AtomicBoolean started = new AtomicBoolean();
    private volatile Thread thread;

    private BackgroundLoop(Builder builder, Round round) {
        this.name = builder.name;
        this.round = Objects.requireNonNull(round, "round");
        this.firstBackoff = builder.firstBackoff;
        this.maxBackoff = builder.maxBackoff;
        this.report = builder.report;
        this.wakeUp = builder.wakeUp;
        this.onExit = builder.onExit;
        this.joinTimeout = builder.joinTimeout;
    }

    /** A loop whose thread has this name; nothing runs until {@link #start()}. */
    public static Builder named(String threadName) {
        return new Builder(threadName);
    }

    /** Starts the thread, once: later calls, and calls after {@link #stop()}, do nothing. */
    public void start() {
        if (stopping() || !started.compareAndSet(false, true)) {
            return;
        }
        Thread loop = new Thread(this::run, name);
        loop.setDaemon(true);
        thread = loop;
        loop.start();
    }

    /**
     * Asks the loop to stop, wakes it, and waits for its thread to end, at most the join timeout; the round in
     * progress is finished, not abandoned.
     */
    public void stop() throws InterruptedException {
        stopRequested.countDown();
        wakeUp.run();
        Thread loop = thread;
        if (loop != null && loop != Thread.currentThread()) {
            loop.join(joinTimeout.toMillis());
            if (loop.isAlive()) {
                LOG.warn("{} did not stop within {} ms", name, joinTimeout.toMillis());
            }
        }
    }

    /** Whether {@link #stop()} has been asked for: a round with a loop of its own ends when this turns true. */
    public boolean stopping() {
        return stopRequested.getCount() == 0;
    }

    /** Waits for {@code duration} unless stopped first; answers whether the loop is stopping. */
    public boolean pause(Duration duration) {
        try {
            return stopRequested.await(duration.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopRequested.countDown();
            return true;
        }
    }

    private void run() {
        Duration backoff = firstBackoff;
        try {
            while (!stopping()) {
                try {
                    round.run();
                    backoff = firstBackoff;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (Exception e) {
                    report.failed(e, backoff);
                    if (pause(backoff)) {
                        return;
                    }
                    backoff = min(backoff.multipliedBy(2), maxBackoff);
                }
            }
        } finally {
            onExit.run();
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** How a loop backs off, wakes and cleans up; each has a default but the name. */
    public static final class Builder {

        private final String name;
        private Duration firstBackoff = Duration.ofMillis(100);
        private Duration maxBackoff = Duration.ofSeconds(2);
        private FailureReport report;
        private Runnable wakeUp = () -> { };
        private Runnable onExit = () -> { };
        private Duration joinTimeout = Duration.ofSeconds(5);

        private Builder(String name) {
            this.name = Objects.requireNonNull(name, "name");
            this.report = (failure, retryIn) -> LOG.debug("{} failed ({}); retrying in {} ms", name, failure.toString(),
                    retryIn.toMillis());
        }

        /** The pause after a first failure, doubled after each further one up to {@code max} (equal: a fixed pause). */
        public Builder backingOff(Duration first, Duration max) {
            if (first.isNegative() || first.isZero() || max.compareTo(first) < 0) {
                throw new IllegalArgumentException("back-off must be positive and first <= max: " + first + ", " + max);
            }
            this.firstBackoff = first;
            this.maxBackoff = max;
            return this;
        }

        /** Who hears of failures (by default a debug log line). */
        public Builder reportingFailuresTo(FailureReport failureReport) {
            this.report = Objects.requireNonNull(failureReport, "failureReport");
            return this;
        }

        /** Cuts short a wait the round does itself, so that {@link #stop()} is prompt. */
        public Builder wakingWith(Runnable wakeRound) {
            this.wakeUp = Objects.requireNonNull(wakeRound, "wakeRound");
            return this;
        }

        /** Runs on the loop's thread as it ends: closes what the rounds kept open between them. */
        public Builder onExit(Runnable cleanUp) {
            this.onExit = Objects.requireNonNull(cleanUp, "cleanUp");
            return this;
        }

        /** How long {@link #stop()} waits for the round in progress to finish. */
        public Builder joinWithin(Duration timeout) {
            this.joinTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        public BackgroundLoop running(Round round) {
            return new BackgroundLoop(this, round);
        }
    }
}
