package io.microcanary.savacart;

import io.microcanary.testsupport.FakeClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CircuitBreakerTest {

    private final FakeClock clock = new FakeClock();
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
        clock.advance(Duration.ofSeconds(5));

        assertEquals(CircuitBreaker.State.HALF_OPEN, breaker.state());
        assertTrue(breaker.allowsCall());
        assertFalse(breaker.allowsCall(), "only one trial at a time");
    }

    @Test
    void aSuccessfulTrialClosesItAndAFailedOneReopensIt() {
        open();
        clock.advance(Duration.ofSeconds(5));
        breaker.allowsCall();
        breaker.failed();
        assertEquals(CircuitBreaker.State.OPEN, breaker.state());

        clock.advance(Duration.ofSeconds(5));
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
}
