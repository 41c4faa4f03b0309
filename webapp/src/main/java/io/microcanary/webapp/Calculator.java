package io.microcanary.webapp;

import io.micronaut.http.client.exceptions.HttpClientResponseException;
import jakarta.inject.Singleton;

import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Adds through adderservice, then queues the calculation for the audit trail: the audit is a side effect, so it may
 * never delay or fail the page.
 */
@Singleton
class Calculator {

    private final Downstream.Adder adder;
    private final AuditAppender audit;

    Calculator(Downstream.Adder adder, AuditAppender audit) {
        this.adder = adder;
        this.audit = audit;
    }

    /**
     * The sum, or empty when the adder refused the operands (a 4xx: e.g. an overflow); completes exceptionally with
     * the client's exception when the adder is down, slow or failing.
     */
    CompletableFuture<OptionalLong> add(long first, long second) {
        return adder.add(first, second).handle((sum, failure) -> {
            if (failure == null) {
                audit.append(first + "+" + second, sum.result());
                return OptionalLong.of(sum.result());
            }
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
            if (cause instanceof HttpClientResponseException refused && refused.getStatus().getCode() < 500) {
                return OptionalLong.empty();
            }
            throw cause instanceof RuntimeException unchecked ? unchecked : new CompletionException(cause);
        });
    }
}
