package io.microcanary.testsupport;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The tests' one clock that moves only when told: from 2026-01-01T00:00:00Z, by {@link #advance(Duration)} or by
 * a {@link Poller} sleeping on it ({@link #sleeper()}).
 */
public final class FakeClock extends Clock {

    private volatile Instant now = Instant.parse("2026-01-01T00:00:00Z");

    public void advance(Duration duration) {
        now = now.plus(duration);
    }

    /** A Poller's sleep that passes at once and moves this clock on by the time slept. */
    public Poller.Sleeper sleeper() {
        return this::advance;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return now;
    }
}
