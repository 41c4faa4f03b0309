package io.microcanary.deployer.rollout;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The tests' one clock: time passes only when someone pauses, so a deadline or an analysis window passes at once. It
 * starts at a fixed instant; handed to the emulated API server too, its timestamps and the harness's "now" agree.
 */
public final class FakeTicker implements Ticker {

    private static final Instant START = Instant.parse("2026-01-01T12:00:00Z");

    private final AtomicLong nanos = new AtomicLong(); // the emulated API server reads it from its own threads

    @Override
    public long nanos() {
        return nanos.get();
    }

    @Override
    public Instant now() {
        return START.plusNanos(nanos.get());
    }

    @Override
    public void pause(Duration duration) {
        nanos.addAndGet(duration.toNanos());
    }
}
