package io.microcanary.webapp;

import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.scheduling.TaskExecutors;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;

/**
 * Adds through adderservice, then records the calculation in the audit trail in the background: the audit is a
 * side effect, so it may never delay or fail the page.
 */
@Singleton
class Calculator {

    private static final Logger LOG = LoggerFactory.getLogger(Calculator.class);

    private final Downstream.Adder adder;
    private final Downstream.Audit audit;
    private final ExecutorService background;

    Calculator(Downstream.Adder adder, Downstream.Audit audit, @Named(TaskExecutors.BLOCKING) ExecutorService background) {
        this.adder = adder;
        this.audit = audit;
        this.background = background;
    }

    /** The sum, or empty when the adder refused the operands (a 4xx: e.g. an overflow). */
    OptionalLong add(long first, long second) {
        long result;
        try {
            result = adder.add(first, second).result();
        } catch (HttpClientResponseException e) {
            if (e.getStatus().getCode() < 500) {
                return OptionalLong.empty();
            }
            throw e;
        }
        background.execute(() -> {
            try {
                audit.append(new Downstream.AuditAppend(first + "+" + second, result));
            } catch (RuntimeException e) {
                LOG.warn("audit append failed ({}); the calculation was shown anyway", e.getClass().getSimpleName());
            }
        });
        return OptionalLong.of(result);
    }
}
