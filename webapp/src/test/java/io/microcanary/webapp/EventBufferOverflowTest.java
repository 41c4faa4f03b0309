package io.microcanary.webapp;

import io.microcanary.support.events.EventPublisher;
import io.microcanary.testsupport.http.Http;
import io.microcanary.localstores.Stores;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** With Redis unreachable and a buffer of 5, the 6th event on is dropped, and the drop count is exact and exported. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EventBufferOverflowTest implements TestPropertyProvider {

    private static final FakeDownstreams downstreams = new FakeDownstreams();

    @Inject
    EmbeddedServer server;

    @Inject
    EventPublisher events;

    @Override
    public Map<String, String> getProperties() {
        // nothing listens at that Redis address
        Map<String, String> properties = downstreams.properties("redis://127.0.0.1:" + Stores.freePort());
        properties.put("micro-canary.events.buffer-size", "5");
        return properties;
    }

    @AfterAll
    void stop() {
        downstreams.close();
    }

    @Test
    void countsExactlyTheEventsThatDidNotFit() {
        Http http = Http.at(server.getURI());
        for (int i = 0; i < 20; i++) {
            assertEquals(200, http.get("/").status());
        }

        assertEquals(5, events.buffered());
        assertEquals(15, events.droppedTotal());
        String metrics = http.get("/prometheus").body();
        assertTrue(metrics.contains("micro_canary_events_dropped_total 15.0"), metrics);
        assertTrue(metrics.contains("micro_canary_events_buffered 5.0"), metrics);
    }
}
