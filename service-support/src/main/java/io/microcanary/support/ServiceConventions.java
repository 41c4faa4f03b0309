package io.microcanary.support;

import io.micronaut.context.ApplicationContextBuilder;
import io.micronaut.context.ApplicationContextConfigurer;
import io.micronaut.context.annotation.ContextConfigurer;
import io.micronaut.context.env.PropertySource;

import java.util.Map;

/**
 * Settings every service shares, applied to every application context (services, commands and tests).
 *
 * <p>They sit below each service's {@code application.yml} (-300) and the environment (-200), so a service or
 * a Deployment can still override any of them.
 */
@ContextConfigurer
public final class ServiceConventions implements ApplicationContextConfigurer {

    static final int BELOW_APPLICATION_YML = -400;

    static final Map<String, Object> DEFAULTS = Map.ofEntries(
            // Kubernetes probes: /health/readiness checks the stores, /health/liveness only the process.
            Map.entry("endpoints.health.enabled", true),
            Map.entry("endpoints.health.sensitive", false),
            Map.entry("endpoints.health.details-visible", "ANONYMOUS"),
            // Readiness means "my stores answer"; a nearly full dev disk must not take a pod out of service.
            Map.entry("endpoints.health.disk-space.enabled", false),
            Map.entry("endpoints.health.discovery-client.enabled", false),
            Map.entry("endpoints.prometheus.enabled", true),
            Map.entry("endpoints.prometheus.sensitive", false),
            Map.entry("micronaut.metrics.enabled", true),
            Map.entry("micronaut.metrics.export.prometheus.enabled", true),
            Map.entry("micronaut.metrics.export.prometheus.step", "PT1M"),
            Map.entry("micronaut.metrics.export.prometheus.descriptions", true),
            Map.entry("micronaut.server.max-request-size", "1MB"),
            // Netty's 4 KiB request line turns away long but honest query strings, and past the limit the server
            // answers 414 and closes while a client may still be sending its body, which can lose that answer in
            // a TCP reset. 16 KiB for the line and for the headers is what Node.js allows.
            Map.entry("micronaut.server.netty.max-initial-line-length", 16_384),
            Map.entry("micronaut.server.netty.max-header-size", 16_384));

    @Override
    public void configure(ApplicationContextBuilder builder) {
        builder.propertySources(PropertySource.of("micro-canary-conventions", DEFAULTS, BELOW_APPLICATION_YML));
    }
}
