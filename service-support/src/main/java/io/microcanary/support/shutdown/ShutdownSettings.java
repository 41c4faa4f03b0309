package io.microcanary.support.shutdown;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.NotNull;

import java.time.Duration;

/**
 * How a service stops on SIGTERM (see {@link GracefulShutdown}).
 *
 * @param drainDelay  how long it keeps serving, unready, before it stops accepting connections: the time the
 *                    callers' load balancers (kube-proxy, an ingress) take to stop sending it new ones. Zero outside
 *                    Kubernetes, where nothing routes by readiness; the Deployments set it
 *                    ({@code MICRO_CANARY_SHUTDOWN_DRAIN_DELAY})
 * @param gracePeriod how long, after that, requests in flight may take to finish before the process exits anyway
 *                    ({@code MICRO_CANARY_SHUTDOWN_GRACE_PERIOD})
 */
@ConfigurationProperties("micro-canary.shutdown")
public record ShutdownSettings(@Bindable(defaultValue = "0s") @NotNull Duration drainDelay,
                               @Bindable(defaultValue = "15s") @NotNull Duration gracePeriod) {

    public ShutdownSettings {
        if (drainDelay != null && drainDelay.isNegative()) {
            throw new IllegalArgumentException("micro-canary.shutdown.drain-delay must not be negative: " + drainDelay);
        }
        if (gracePeriod != null && gracePeriod.isNegative()) {
            throw new IllegalArgumentException("micro-canary.shutdown.grace-period must not be negative: " + gracePeriod);
        }
    }
}
