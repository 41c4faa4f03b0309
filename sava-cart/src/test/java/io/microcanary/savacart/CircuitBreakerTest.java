package io.microcanary.savacart;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CircuitBreakerTest {

    private final MovableClock clock = new MovableClock();
    private final CircuitBreaker breaker = new CircuitBreaker(clock, 3, Duration.ofSeconds(5));

    @Test
    void opensAfterTheConfiguredFailuresInARow() {
        breaker.failed();
        breaker.failed();
        assertTrue(breaker.allowsCall());
        breaker.failed();

        assertEquals(CircuitBreaker.State.OPEN, breaker.state());
        assertFalse(breaker.allowsCall());
    }

    @Test
    void aSuccessResetsTheCount() {
        breaker.failed();
        breaker.failed();
        breaker.succeeded();
        breaker.failed();

        assertEquals(CircuitBreaker.State.CLOSED, breaker.state());
    }

    @Test
    void afterTheOpenPeriodOneTrialCallGoesThrough() {
        open();
        clock.now = clock.now.plusSeconds(5);

        assertEquals(CircuitBreaker.State.HALF_OPEN, breaker.state());
        assertTrue(breaker.allowsCall());
        assertFalse(breaker.allowsCall(), "only one trial at a time");
    }

    @Test
    void aSuccessfulTrialClosesItAndAFailedOneReopensIt() {
        open();
        clock.now = clock.now.plusSeconds(5);
        breaker.allowsCall();
        breaker.failed();
        assertEquals(CircuitBreaker.State.OPEN, breaker.state());

        clock.now = clock.now.plusSeconds(5);
        breaker.allowsCall();
        breaker.succeeded();
        assertEquals(CircuitBreaker.State.CLOSED, breaker.state());
        assertTrue(breaker.allowsCall());
    }

    private void open() {
        for (int i = 0; i < 3; i++) {
            breaker.failed();
        }
    }

    static final class MovableClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

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
}
