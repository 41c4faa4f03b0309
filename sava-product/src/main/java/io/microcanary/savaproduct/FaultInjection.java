package io.microcanary.savaproduct;

import io.microcanary.support.problem.ProblemException;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.condition.Condition;
import io.micronaut.context.condition.ConditionContext;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Makes a bad release on purpose: delays catalogue requests and fails a share of them, so a canary's analysis
 * has something to catch. The delay does not hold a thread: the response is released by a timer. With both
 * switches off (the default) the filter is not created at all, so a healthy release pays nothing for it.
 */
@ServerFilter("/products/**")
@Requires(condition = FaultInjection.SwitchedOn.class)
final class FaultInjection implements ApplicationEventListener<StartupEvent> {

    private static final Logger LOG = LoggerFactory.getLogger(FaultInjection.class);

    private final FaultSettings settings;

    FaultInjection(FaultSettings settings) {
        this.settings = settings;
    }

    @Override
    public void onApplicationEvent(StartupEvent event) {
        if (settings.on()) {
            LOG.warn("Fault injection ON: FAULT_ERROR_RATE={} FAULT_LATENCY_MS={}", settings.errorRate(), settings.latencyMs());
        }
    }

    /** Reads the settings as a bean, so a value out of range stops the start naming its key, on or off. */
    static final class SwitchedOn implements Condition {
        @Override
        public boolean matches(ConditionContext context) {
            return context.getBean(FaultSettings.class).on();
        }
    }

    @RequestFilter
    void failSome() {
        if (settings.errorRate() > 0 && ThreadLocalRandom.current().nextDouble() < settings.errorRate()) {
            throw new ProblemException(HttpStatus.INTERNAL_SERVER_ERROR,
                    "Injected fault (FAULT_ERROR_RATE=" + settings.errorRate() + ").");
        }
    }

    @ResponseFilter
    CompletableFuture<MutableHttpResponse<?>> delay(MutableHttpResponse<?> response) {
        if (settings.latencyMs() == 0) {
            return CompletableFuture.completedFuture(response);
        }
        return CompletableFuture.supplyAsync(() -> response,
                CompletableFuture.delayedExecutor(settings.latencyMs(), TimeUnit.MILLISECONDS));
    }
}
