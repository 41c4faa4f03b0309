package io.microcanary.support.problem;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.ErrorResponseProcessorExceptionHandler;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;

@Singleton
final class ProblemExceptionHandler extends ErrorResponseProcessorExceptionHandler<ProblemException> {

    ProblemExceptionHandler(ErrorResponseProcessor<?> responseProcessor) {
        super(responseProcessor);
    }

    @Override
    protected MutableHttpResponse<?> createResponse(ProblemException exception) {
        MutableHttpResponse<?> response = HttpResponse.status(exception.status());
        if (exception instanceof StoreUnavailableException) {
            response.header("Retry-After", "1");
        }
        return response;
    }
}
