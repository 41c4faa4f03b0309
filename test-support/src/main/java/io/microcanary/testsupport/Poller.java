package io.microcanary.testsupport;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Waits for a condition with a deadline, instead of sleeping. It probes every {@code interval}, prints a
 * progress line when the observed state changes (and every ten seconds), and on timeout fails with the last
 * state and the last error it saw.
 */
public final class Poller {

    /** How the poller passes time between probes; tests pass one that advances a fake clock. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;

        Sleeper SYSTEM = duration -> Thread.sleep(duration.toMillis()); // the poll interval, not synchronisation
    }

    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(10);

    private final Clock clock;
    private final Sleeper sleeper;
    private final Duration timeout;
    private final Duration interval;
    private final PrintStream progress;

    public Poller(Clock clock, Sleeper sleeper, Duration timeout, Duration interval, PrintStream progress) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.timeout = requirePositive(timeout, "timeout");
        this.interval = requirePositive(interval, "interval");
        this.progress = Objects.requireNonNull(progress, "progress");
    }

    /** A poller on the system clock that reports progress on stderr. */
    public static Poller within(Duration timeout) {
        return new Poller(Clock.systemUTC(), Sleeper.SYSTEM, timeout, Duration.ofMillis(50), System.err);
    }

    public Poller every(Duration newInterval) {
        return new Poller(clock, sleeper, timeout, newInterval, progress);
    }

    /** Waits until {@code condition} holds; a probe that throws counts as "not yet". */
    public void until(String what, Supplier<Boolean> condition) {
        until(what, condition, Boolean.TRUE::equals, state -> String.valueOf(state));
    }

    /**
     * Probes {@code probe} until {@code done} accepts its value, and returns that value.
     *
     * @param describe renders an observed value for progress lines and the timeout message
     */
    public <T> T until(String what, Supplier<T> probe, Predicate<? super T> done, Function<? super T, String> describe) {
        Instant start = clock.instant();
        Instant deadline = start.plus(timeout);
        Instant lastReport = start;
        String lastState = "not probed yet";
        String lastReported = null;
        RuntimeException lastError = null;
        while (true) {
            try {
                T value = probe.get();
                lastState = describe.apply(value);
                lastError = null;
                if (done.test(value)) {
                    return value;
                }
            } catch (RuntimeException | AssertionError e) {
                lastError = e instanceof RuntimeException re ? re : new IllegalStateException(e);
                lastState = "error: " + e;
            }
            Instant now = clock.instant();
            if (!now.isBefore(deadline)) {
                AssertionError timedOut = new AssertionError("timed out after " + seconds(timeout) + " waiting for "
                        + what + "; last state: " + lastState);
                if (lastError != null) {
                    timedOut.initCause(lastError);
                }
                throw timedOut;
            }
            if (!lastState.equals(lastReported) || Duration.between(lastReport, now).compareTo(PROGRESS_EVERY) >= 0) {
                progress.println("waiting for " + what + ": " + lastState + " ("
                        + seconds(Duration.between(start, now)) + " of " + seconds(timeout) + ")");
                lastReported = lastState;
                lastReport = now;
            }
            pause(min(interval, Duration.between(now, deadline)));
        }
    }

    private void pause(Duration duration) {
        try {
            sleeper.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting", e);
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static String seconds(Duration duration) {
        return duration.toSeconds() + "s";
    }

    private static Duration requirePositive(Duration duration, String name) {
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + duration);
        }
        return duration;
    }
}
