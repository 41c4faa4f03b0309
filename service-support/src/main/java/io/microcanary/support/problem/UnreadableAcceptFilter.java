package io.microcanary.support.problem;

import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;

import java.util.List;

/**
 * An {@code Accept} header of which no entry is a media type ({@code Accept: json}) is a 400 naming the header.
 * Micronaut drops entries it cannot parse and, with none left, treats the request as accepting anything: the
 * client asked for something and would silently get whatever the route makes. Headers with some readable entries
 * are served from those (the JDK's {@code HttpURLConnection} sends a bare {@code *} among valid ones).
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
final class UnreadableAcceptFilter {

    @RequestFilter
    void rejectUnreadableAccept(HttpRequest<?> request) {
        List<String> accept = request.getHeaders().getAll(HttpHeaders.ACCEPT);
        boolean sent = accept.stream().anyMatch(value -> !value.isBlank());
        if (sent && MediaType.orderedOf(accept).isEmpty()) {
            throw ProblemException.invalidField(HttpHeaders.ACCEPT, "must list media types, such as application/json");
        }
    }
}
