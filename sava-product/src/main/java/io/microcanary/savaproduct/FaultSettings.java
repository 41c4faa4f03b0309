package io.microcanary.savaproduct;

import io.micronaut.context.annotation.ConfigurationProperties;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.PositiveOrZero;

/**
 * Fault switches for demos and canary tests ({@code FAULT_ERROR_RATE}, {@code FAULT_LATENCY_MS}); both off by
 * default. A value out of range stops the service at start-up, naming the key.
 *
 * @param errorRate share of catalogue requests that fail with a 500, from 0 to 1
 * @param latencyMs milliseconds added to every catalogue request
 */
@ConfigurationProperties("fault")
record FaultSettings(@DecimalMin("0") @DecimalMax("1") double errorRate,
                     @PositiveOrZero @Max(60_000) long latencyMs) {

    boolean on() {
        return errorRate > 0 || latencyMs > 0;
    }
}
