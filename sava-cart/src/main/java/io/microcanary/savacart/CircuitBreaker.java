package io.microcanary.savacart;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Stops calling a dependency after {@code failuresToOpen} failures in a row, for {@code openFor}; then lets one
 * trial call through (half-open), which closes it again on success. Keeps pages fast while the catalogue is down.
 */
final class CircuitBreaker {

    enum State { CLOSED, OPEN, HALF_OPEN }

    private final Clock clock;
    private final int failuresToOpen;
    private final Duration openFor;
    private int failures;
    private Instant openUntil = Instant.MIN;
    private boolean trialInFlight;

    CircuitBreaker(Clock clock, int failuresToOpen, Duration openFor) {
        this.clock = clock;
        this.failuresToOpen = failuresToOpen;
        this.openFor = openFor;
    }

    /** Whether a call may go out now; in half-open state only one caller gets a yes. */
    synchronized boolean allowsCall() {
        if (failures < failuresToOpen) {
            return true;
        }
        if (clock.instant().isBefore(openUntil) || trialInFlight) {
            return false;
        }
        trialInFlight = true;
        return true;
    }

    synchronized void succeeded() {
        failures = 0;
        trialInFlight = false;
    }

    synchronized void failed() {
        failures++;
        trialInFlight = false;
        if (failures >= failuresToOpen) {
            openUntil = clock.instant().plus(openFor);
        }
    }

    synchronized State state() {
        if (failures < failuresToOpen) {
            return State.CLOSED;
        }
        return clock.instant().isBefore(openUntil) ? State.OPEN : State.HALF_OPEN;
    }
}
