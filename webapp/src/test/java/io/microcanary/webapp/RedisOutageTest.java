package io.microcanary.webapp;

import io.lettuce.core.RedisClient;
import io.microcanary.support.events.EventPublisher;
import io.microcanary.testsupport.Poller;
import io.microcanary.testsupport.http.Http;
import io.microcanary.localstores.StoreKind;
import io.microcanary.localstores.StoreServer;
import io.microcanary.localstores.Stores;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Redis goes away for 20 s under steady requests: no page fails or waits, and every buffered event arrives after. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisOutageTest implements TestPropertyProvider {

    private static final StoreServer redis = Stores.start(StoreKind.REDIS);
    private static final FakeDownstreams downstreams = new FakeDownstreams();

    @Inject
    EmbeddedServer server;

    @Inject
    EventPublisher events;

    @Override
    public Map<String, String> getProperties() {
        return downstreams.properties(redis.url());
    }

    @AfterAll
    void stop() {
        downstreams.close();
        redis.close();
    }

    @Test
    void pagesNeverFailAndBufferedEventsArriveAfterRedisReturns() {
        Http http = Http.at(server.getURI());
        RedisClient client = RedisClient.create(redis.url());
        try (var connection = client.connect()) {
            connection.sync().del("eventservice");
        }

        // 20 s of steady traffic (a page every 10 ms) with Redis down: every page answers at once
        redis.stop();
        int pages = 0;
        long outageEnds = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        long nextPage = System.nanoTime();
        while (System.nanoTime() < outageEnds) {
            long started = System.nanoTime();
            assertEquals(200, http.get("/add").status(), "page " + pages);
            assertTrue((System.nanoTime() - started) / 1_000_000 < 500, "page " + pages + " was not delayed by Redis");
            pages++;
            nextPage += Duration.ofMillis(10).toNanos();
            LockSupport.parkNanos(nextPage - System.nanoTime()); // pacing the load, not waiting for a result
        }
        assertTrue(pages > 1_000, "steady traffic: " + pages);
        assertEquals(pages, events.buffered());

        long expected = pages;
        redis.start();
        try (var connection = client.connect()) {
            // the publisher empties its buffer only after Redis has acknowledged the push, so wait for both
            Poller.within(Duration.ofSeconds(15)).until("the buffered events to arrive and leave the buffer",
                    () -> connection.sync().llen("eventservice") == expected && events.buffered() == 0);
            assertEquals(expected, connection.sync().llen("eventservice"), "no event pushed twice");
            assertEquals(0, events.droppedTotal());
        } finally {
            client.shutdown();
        }
    }
}
