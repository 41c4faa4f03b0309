package io.microcanary.testsupport;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PollerTest {

    /** A clock that only moves when the poller "sleeps", so these tests never wait. */
    private final FakeClock time = new FakeClock();
    private final ByteArrayOutputStream progress = new ByteArrayOutputStream();

    private Poller poller(Duration timeout, Duration interval) {
        return new Poller(time, time.sleeper(), timeout, interval, new PrintStream(progress, true, StandardCharsets.UTF_8));
    }

    @Test
    void returnsTheFirstValueThatSatisfiesTheCondition() {
        AtomicInteger probes = new AtomicInteger();
        int ready = poller(Duration.ofSeconds(120), Duration.ofSeconds(1))
                .until("addressbook", probes::incrementAndGet, n -> n >= 3, n -> n + "/3 ready");

        assertEquals(3, ready);
        assertEquals(Instant.parse("2026-01-01T00:00:02Z"), time.instant());
    }

    @Test
    void reportsProgressWhenTheObservedStateChanges() {
        AtomicInteger probes = new AtomicInteger();
        poller(Duration.ofSeconds(120), Duration.ofSeconds(6))
                .until("addressbook-canary", probes::incrementAndGet, n -> n >= 3, n -> (n - 1) + "/1 ready");

        String printed = progress.toString(StandardCharsets.UTF_8);
        assertEquals("waiting for addressbook-canary: 0/1 ready (0s of 120s)\n"
                + "waiting for addressbook-canary: 1/1 ready (6s of 120s)\n", printed);
    }

    @Test
    void timesOutAtTheDeadlineWithTheLastStateAndError() {
        AssertionError error = assertThrows(AssertionError.class, () -> poller(Duration.ofSeconds(5), Duration.ofSeconds(1))
                .until("database", () -> {
                    throw new IllegalStateException("connection refused");
                }));

        assertTrue(error.getMessage().startsWith("timed out after 5s waiting for database; last state: error: "),
                error.getMessage());
        assertEquals("connection refused", error.getCause().getMessage());
        assertEquals(Instant.parse("2026-01-01T00:00:05Z"), time.instant());
    }

    @Test
    void neverSleepsPastTheDeadline() {
        assertThrows(AssertionError.class, () -> poller(Duration.ofSeconds(5), Duration.ofSeconds(3))
                .until("never", () -> false));

        assertEquals(Instant.parse("2026-01-01T00:00:05Z"), time.instant());
    }

    @Test
    void rejectsANonPositiveTimeout() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> poller(Duration.ZERO, Duration.ofSeconds(1)));
        assertEquals("timeout must be positive, was PT0S", error.getMessage());
    }
}
