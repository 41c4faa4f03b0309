package io.microcanary.support.shutdown;

import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.AbstractHealthIndicator;
import io.micronaut.management.health.indicator.annotation.Readiness;
import jakarta.inject.Singleton;

import java.util.Map;

/** Readiness goes DOWN (503) the moment a shutdown begins, while the service still answers everything else. */
@Singleton
@Readiness
final class Draining extends AbstractHealthIndicator<Map<String, Object>> {

    private volatile boolean draining;

    void begin() {
        draining = true;
    }

    boolean isDraining() {
        return draining;
    }

    @Override
    protected Map<String, Object> getHealthInformation() {
        healthStatus = draining ? HealthStatus.DOWN : HealthStatus.UP;
        return Map.of("state", draining ? "draining" : "serving");
    }

    @Override
    protected String getName() {
        return "shutdown";
    }
}
