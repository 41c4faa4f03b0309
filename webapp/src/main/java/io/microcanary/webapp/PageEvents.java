package io.microcanary.webapp;

import io.microcanary.support.events.EventPublisher;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;

/**
 * One page event per request, as the original front end published: queued without blocking the response.
 * Probes, metrics and static assets are not pages and are not counted.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
final class PageEvents {

    private final EventPublisher events;

    PageEvents(EventPublisher events) {
        this.events = events;
    }

    @ResponseFilter
    void publish(HttpRequest<?> request) {
        String path = request.getPath();
        if (!path.startsWith("/health") && !path.startsWith("/prometheus") && !path.startsWith("/assets/")) {
            events.pageView(path);
        }
    }
}
