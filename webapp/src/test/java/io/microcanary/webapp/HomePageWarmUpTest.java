package io.microcanary.webapp;

import io.microcanary.localstores.Stores;
import io.microcanary.support.events.EventPublisher;
import io.microcanary.testsupport.http.FakeHttpService;
import io.microcanary.testsupport.http.Http;
import io.microcanary.testsupport.http.ServedRequests;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The start-up's warm-up creates what the first page would, without calling a downstream, publishing a page event
 * or being counted as a request.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HomePageWarmUpTest implements TestPropertyProvider {

    private static final AtomicInteger downstreamRequests = new AtomicInteger();
    /** adderservice, auditservice and eventservice in one: it counts whatever it is asked. */
    private static final FakeHttpService downstream = new FakeHttpService("/", exchange -> {
        downstreamRequests.incrementAndGet();
        return FakeHttpService.Reply.json(503, "{\"status\":503}");
    });

    @Inject
    EmbeddedServer server;

    @Inject
    ApplicationContext context;

    @Inject
    EventPublisher events;

    @Inject
    HomePageWarmUp warmUp;

    @Override
    public Map<String, String> getProperties() {
        // nothing listens at that Redis address: an event published would stay in the buffer
        return Map.of("micronaut.http.services.adderservice.url", downstream.url(),
                "micronaut.http.services.auditservice.url", downstream.url(),
                "micronaut.http.services.eventservice.url", downstream.url(),
                "redis.uri", "redis://127.0.0.1:" + Stores.freePort());
    }

    @AfterAll
    void stopDownstream() {
        downstream.close();
    }

    @Test
    void warmsUpWithoutCallingAnyServicePublishingOrARequest() throws Exception {
        warmUp.done().get(30, TimeUnit.SECONDS); // a bound on a hang, not a timing: fails if the warm-up failed

        // no request has been sent: the controller exists because the warm-up created it (a route creates it lazily)
        assertEquals(1, context.getActiveBeanRegistrations(WebController.class).size());
        assertEquals(0, downstreamRequests.get(), "requests to the downstream services");
        assertEquals(0, events.buffered(), "page events");
        assertEquals(0, events.droppedTotal(), "page events");
        ServedRequests.assertNoneCounted(Http.at(server.getURI()));
    }
}
