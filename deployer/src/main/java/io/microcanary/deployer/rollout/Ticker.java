package io.microcanary.deployer.rollout;

import java.time.Duration;
import java.time.Instant;

/**
 * The harness's one source of time: how long a wait has lasted, what time it is, and the pause between polls. The
 * command line runs on {@link #SYSTEM}; tests hand in a fake one, so deadlines and analysis windows pass without
 * waiting.
 */
public interface Ticker {

    /** For measuring how long something took: monotonic, unlike the wall clock. */
    long nanos();

    /** The wall-clock time, for comparing with timestamps the API server wrote (a pod's start, an event's). */
    Instant now();

    void pause(Duration duration) throws InterruptedException;

    Ticker SYSTEM = new Ticker() {
        @Override
        public long nanos() {
            return System.nanoTime();
        }

        @Override
        public Instant now() {
            return Instant.now();
        }

        @Override
        public void pause(Duration duration) throws InterruptedException {
            Thread.sleep(duration.toMillis()); // between two polls of a remote API: nothing to wake us earlier
        }
    };
}
