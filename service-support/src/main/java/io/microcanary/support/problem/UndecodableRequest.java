package io.microcanary.support.problem;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.server.netty.NettyHttpRequest;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;

import java.util.List;
import java.util.Optional;

/**
 * A request Netty could not parse: a request line or headers past the server's limits, or broken syntax.
 * Micronaut answers it on a stand-in request (HTTP/1.0, path {@code /bad-request}) with a 413 or 400 and then
 * closes the connection without saying so; a client that pools connections (the JDK's does) would send its next
 * request into the closed socket. So the answer names the real limit that was hit and says {@code Connection: close}.
 */
record UndecodableRequest(HttpStatus status, String detail) {

    static Optional<UndecodableRequest> of(HttpRequest<?> request) {
        if (!(request instanceof NettyHttpRequest<?> netty) || !netty.getNativeRequest().decoderResult().isFailure()) {
            return Optional.empty();
        }
        Throwable cause = netty.getNativeRequest().decoderResult().cause();
        if (cause instanceof TooLongHttpLineException) {
            return Optional.of(new UndecodableRequest(HttpStatus.REQUEST_URI_TOO_LONG,
                    "The request line (method, path and query) is longer than this server accepts."));
        }
        if (cause instanceof TooLongHttpHeaderException) {
            return Optional.of(new UndecodableRequest(HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE,
                    "The request headers are larger than this server accepts."));
        }
        if (cause instanceof TooLongFrameException) {
            return Optional.of(new UndecodableRequest(HttpStatus.REQUEST_ENTITY_TOO_LARGE,
                    "The request is larger than this server accepts."));
        }
        return Optional.of(new UndecodableRequest(HttpStatus.BAD_REQUEST, "The request is not valid HTTP."));
    }

    /** No {@code instance}: the path Micronaut reports for it is its stand-in's, not the client's. */
    Problem problem() {
        return new Problem("about:blank", status.getReason(), status.getCode(), detail, null, List.of());
    }
}
