package io.microcanary.support.stores;

import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.AbstractHealthIndicator;

import java.util.Map;

/**
 * Ready only while a store answers {@link #ping()}; part of /health/readiness, never of liveness. A store that
 * answers but refuses the credentials says so, naming the variables to check, rather than "unreachable".
 */
abstract class StoreReadiness extends AbstractHealthIndicator<Map<String, Object>> {

    private final String store;

    StoreReadiness(String store) {
        this.store = store;
    }

    /** Throws when the store does not answer. */
    abstract void ping();

    @Override
    protected final Map<String, Object> getHealthInformation() {
        try {
            ping();
            healthStatus = HealthStatus.UP;
            return Map.of(store, "answers");
        } catch (RuntimeException e) {
            healthStatus = HealthStatus.DOWN;
            return Map.of(store, refusedLogin(e) ? "refused the login: " + credentials() : "unreachable");
        }
    }

    /** Whether the store answered but did not accept the credentials (wrong, or none given). */
    abstract boolean refusedLogin(RuntimeException failure);

    /** The variables that hold the credentials, for the message that says they are wrong. */
    abstract String credentials();

    static boolean causedBy(Throwable failure, java.util.function.Predicate<Throwable> test) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (test.test(cause)) {
                return true;
            }
        }
        return false;
    }

    @Override
    protected final String getName() {
        return store;
    }
}
