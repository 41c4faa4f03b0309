package io.microcanary.deployer.rollout;

import java.io.PrintStream;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Every wait of the harness: polls until a check says done or failed, with a deadline, printing a progress line
 * whenever what it waits for changes (and at least every {@code heartbeat}), like
 * {@code waiting for addressbook-canary: 0/1 ready (12s/120s)}.
 */
public final class Waiter {

    /** What a check found on one poll. */
    public sealed interface Check {
        record Done(String message) implements Check {
        }

        record Waiting(String progress) implements Check {
        }

        record Failed(String reason) implements Check {
        }
    }

    private final PrintStream out;
    private final Ticker ticker;
    private final Duration interval;
    private final Duration heartbeat;

    public Waiter(PrintStream out, Ticker ticker, Duration interval) {
        this.out = out;
        this.ticker = ticker;
        this.interval = interval;
        this.heartbeat = Duration.ofSeconds(10);
    }

    /** Waits for {@code check} to be done; fails with its reason, or with the last progress at the deadline. */
    public String until(String what, Duration timeout, Supplier<Check> check) {
        long start = ticker.nanos();
        String lastProgress = null;
        long lastPrinted = 0; // the first progress is printed anyway: it differs from null
        while (true) {
            Check result = check.get();
            long elapsed = ticker.nanos() - start;
            if (result instanceof Check.Done done) {
                return done.message();
            }
            if (result instanceof Check.Failed failed) {
                throw new WaitFailed(failed.reason());
            }
            String progress = ((Check.Waiting) result).progress();
            String line = String.format("waiting for %s: %s (%ds/%ds)", what, progress,
                    Duration.ofNanos(elapsed).toSeconds(), timeout.toSeconds());
            if (!progress.equals(lastProgress) || elapsed - lastPrinted >= heartbeat.toNanos()) {
                out.println(line);
                lastProgress = progress;
                lastPrinted = elapsed;
            }
            if (elapsed >= timeout.toNanos()) {
                throw new WaitFailed("timed out after " + timeout.toSeconds() + "s " + line);
            }
            try {
                ticker.pause(interval);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new WaitFailed("interrupted while " + line);
            }
        }
    }

    /** A wait that ended without success: the reason says which rule failed. */
    public static final class WaitFailed extends RuntimeException {
        public WaitFailed(String reason) {
            super(reason);
        }
    }
}
