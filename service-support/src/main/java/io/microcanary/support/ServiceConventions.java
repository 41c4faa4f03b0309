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

    /** How long a service-to-service HTTP connection may live; env {@code MICRONAUT_HTTP_CLIENT_CONNECT_TTL}. */
    static final String CLIENT_CONNECTION_LIFETIME = "micronaut.http.client.connect-ttl";

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
            // HTTP server latency as histogram buckets from 1 ms to 10 s (Micrometer's, in seconds here), so the canary
            // harness can compute p99 per pod from /prometheus: summaries cannot be merged or diffed over a window.
            Map.entry("micronaut.metrics.binders.web.server.histogram", true),
            Map.entry("micronaut.metrics.binders.web.server.min", 0.001),
            Map.entry("micronaut.metrics.binders.web.server.max", 10.0),
            // The JVM, system, Logback and executor binders feed no analysis here, and cost every service ~230
            // classes (JMX's among them), a timing wrapper around every executor task and a counter on every log
            // call. Kubernetes reports each pod's memory and CPU; MICRONAUT_METRICS_BINDERS_JVM_ENABLED=true (and
            // so on) adds them.
            Map.entry("micronaut.metrics.binders.jvm.enabled", false),
            Map.entry("micronaut.metrics.binders.uptime.enabled", false),
            Map.entry("micronaut.metrics.binders.processor.enabled", false),
            Map.entry("micronaut.metrics.binders.files.enabled", false),
            Map.entry("micronaut.metrics.binders.logback.enabled", false),
            Map.entry("micronaut.metrics.binders.executor.enabled", false),
            Map.entry("micronaut.server.max-request-size", "1MB"),
            // Netty's 4 KiB request line turns away long but honest query strings, and past the limit the server
            // answers 414 and closes while a client may still be sending its body, which can lose that answer in
            // a TCP reset. 16 KiB for the line and for the headers is what Node.js allows.
            Map.entry("micronaut.server.netty.max-initial-line-length", 16_384),
            Map.entry("micronaut.server.netty.max-header-size", 16_384),
            // kube-proxy picks a pod per TCP connection, so a kept-alive client connection pins a caller to one pod
            // for as long as it lives, and a pod that joins later (a canary) gets none of that caller's requests.
            // Micronaut's connect-ttl (documented as a connect timeout, but it is a lifetime) retires every pooled
            // connection this long after it opened, once its request in flight finishes; the next one is balanced
            // afresh. Applies to every @Client(id = ...) unless micronaut.http.services.<id>.connect-ttl says otherwise.
            Map.entry(CLIENT_CONNECTION_LIFETIME, "5s"));

    @Override
    public void configure(ApplicationContextBuilder builder) {
        builder.propertySources(PropertySource.of("micro-canary-conventions", DEFAULTS, BELOW_APPLICATION_YML));
    }
}
