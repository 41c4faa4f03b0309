package io.microcanary.webapp;

import io.microcanary.support.events.EventPublisher;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.runtime.server.event.ServerStartupEvent;

/**
 * One page event per request, as the original front end published: queued without blocking the response.
 * Probes, metrics and static assets are not pages and are not counted. The publisher starts pushing with the server.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
final class PageEvents implements ApplicationEventListener<ServerStartupEvent> {

    private final EventPublisher events;

    PageEvents(EventPublisher events) {
        this.events = events;
    }

    @Override
    public void onApplicationEvent(ServerStartupEvent event) {
        events.start();
    }

    @ResponseFilter
    void publish(HttpRequest<?> request) {
        String path = request.getPath();
        if (!path.startsWith("/health") && !path.startsWith("/prometheus") && !path.startsWith("/assets/")) {
            events.pageView(path);
        }
    }
}
