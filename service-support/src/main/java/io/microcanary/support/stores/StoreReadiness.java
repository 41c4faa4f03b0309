package io.microcanary.support.stores;

import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.AbstractHealthIndicator;

import java.util.Map;

/** Ready only while a store answers {@link #ping()}; part of /health/readiness, never of liveness. */
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
            return Map.of(store, "unreachable");
        }
    }

    @Override
    protected final String getName() {
        return store;
    }
}
