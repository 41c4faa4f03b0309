package io.microcanary.support.problem;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.ErrorResponseProcessorExceptionHandler;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import io.netty.handler.codec.http.multipart.HttpPostRequestDecoder.ErrorDataDecoderException;
import jakarta.inject.Singleton;

/** A form body that is not valid URL encoding ({@code a=%%%}) is the client's mistake: 400, not Netty's 500. */
@Singleton
final class MalformedFormHandler extends ErrorResponseProcessorExceptionHandler<ErrorDataDecoderException> {

    MalformedFormHandler(ErrorResponseProcessor<?> responseProcessor) {
        super(responseProcessor);
    }

    @Override
    protected MutableHttpResponse<?> createResponse(ErrorDataDecoderException exception) {
        return HttpResponse.badRequest();
    }
}
