package io.microcanary.support.problem;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;

import java.util.Optional;

/**
 * The one error path: every error any service answers with goes through here and leaves as problem+json, or
 * as a small HTML page when a browser asked for HTML.
 */
@Singleton
@Replaces(ErrorResponseProcessor.class)
final class ProblemErrorResponseProcessor implements ErrorResponseProcessor<Object> {

    private final ErrorSettings settings;

    ProblemErrorResponseProcessor(ErrorSettings settings) {
        this.settings = settings;
    }

    @Override
    @SuppressWarnings("unchecked")
    public MutableHttpResponse<Object> processResponse(ErrorContext context, MutableHttpResponse<?> response) {
        MutableHttpResponse<Object> typed = (MutableHttpResponse<Object>) response;
        Optional<UndecodableRequest> undecodable = UndecodableRequest.of(context.getRequest());
        undecodable.ifPresent(failure -> typed.status(failure.status()).header(HttpHeaders.CONNECTION, "close"));
        if (context.getRequest().getMethod() == HttpMethod.HEAD) {
            return typed;
        }
        Problem problem = undecodable.map(UndecodableRequest::problem)
                .orElseGet(() -> ProblemDescriber.describe(context, response.status(), settings));
        if (prefersHtml(context.getRequest())) {
            return typed.<Object>body(ProblemPage.render(problem)).contentType(MediaType.TEXT_HTML_TYPE);
        }
        return typed.<Object>body(problem).contentType(Problem.MEDIA_TYPE);
    }

    /** Only an explicit {@code text/html} (as browsers send) gets a page; curl's {@code *}/{@code *} gets JSON. */
    private static boolean prefersHtml(HttpRequest<?> request) {
        return request.accept().stream().findFirst()
                .map(type -> MediaType.TEXT_HTML.equals(type.getName()))
                .orElse(false);
    }
}
