package io.microcanary.eventservice;

import io.microcanary.testsupport.Poller;
import io.microcanary.testsupport.http.Http;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** MongoDB, then Redis, stop and return mid-stream: the consumer pauses and resumes, losing and doubling nothing. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StoreOutageTest implements TestPropertyProvider {

    private static final EventserviceFixture fixture = EventserviceFixture.start();

    @Inject
    EmbeddedServer server;

    @Override
    public Map<String, String> getProperties() {
        return fixture.properties();
    }

    @AfterAll
    void stopStores() {
        fixture.close();
    }

    @Test
    void nothingIsLostOrDoubledAcrossMongoAndRedisOutages() {
        Http http = Http.at(server.getURI());
        push(fixture.queue(), 0, 100);
        waitForStored(100);

        fixture.mongo().stop();
        push(fixture.queue(), 100, 200);
        Poller.within(Duration.ofSeconds(10)).until("readiness to report MongoDB down",
                () -> http.get("/health/readiness").status() == 503);
        assertEquals(200, http.get("/health/liveness").status());
        fixture.mongo().start();
        waitForStored(200);

        fixture.redis().stop();
        Poller.within(Duration.ofSeconds(10)).until("readiness to report Redis down",
                () -> http.get("/health/readiness").status() == 503);
        fixture.redis().start();
        push(fixture.reconnectQueue(), 200, 300);
        waitForStored(300);
        // a batch is acknowledged (removed from processing) only after it is stored, so wait for that too
        fixture.awaitAcknowledged();
        assertEquals(300, fixture.events().countDocuments(), "none doubled");
    }

    private static void push(TestQueue queue, int from, int to) {
        for (int i = from; i < to; i++) {
            queue.redis().rpush("eventservice", TestQueue.recordMessage("event-" + i, "/page/" + (i % 7)));
        }
    }

    private void waitForStored(long count) {
        Poller.within(Duration.ofSeconds(30)).until(count + " stored events",
                () -> fixture.events().countDocuments() == count);
    }
}
