package io.microcanary.eventservice;

import io.microcanary.testsupport.Poller;
import io.microcanary.testsupport.http.Http;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;

import static io.microcanary.testsupport.http.Problems.assertViolations;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EventQueueTest implements TestPropertyProvider {

    private static final EventserviceFixture fixture = EventserviceFixture.start();
    private static final TestQueue queue = fixture.queue();

    @Inject
    EmbeddedServer server;

    private Http http;

    @Override
    public Map<String, String> getProperties() {
        return fixture.properties();
    }

    @BeforeEach
    void clean() {
        fixture.clear();
        http = Http.at(server.getURI());
    }

    @AfterAll
    void stopStores() {
        fixture.close();
    }

    @Test
    void theStoredCounterCountsEachEventOnceEvenWhenRedelivered() {
        double before = storedCounter();
        String message = TestQueue.recordMessage("event-counted", "/counted");
        queue.redis().rpush("eventservice", message);
        waitForEvents(1);
        fixture.awaitAcknowledged();
        queue.redis().rpush("eventservice", message); // a redelivery, as after a crash before the acknowledgement
        queue.record("/after");
        waitForEvents(2);
        Poller.within(Duration.ofSeconds(10)).until("the counter to count the new event",
                () -> storedCounter() - before >= 2);
        fixture.awaitAcknowledged();

        assertEquals(2, storedCounter() - before, 0.0, "the redelivered event is not counted again");
    }

    private double storedCounter() {
        return http.get("/prometheus").body().lines().filter(line -> line.startsWith("micro_canary_events_stored_total"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).findFirst().orElseThrow();
    }

    @Test
    void storesARecordAsTsEventTypeAndUrl() {
        String id = queue.record("/add");

        Document stored = waitForEvents(1).get(0);

        assertEquals(new Document("_id", id).append("ts", Date.from(java.time.Instant.parse("2026-11-23T10:00:00Z")))
                .append("eventType", "page").append("url", "/add"), stored);
        fixture.awaitAcknowledged();
    }

    @Test
    void answersASummaryRequestOnItsReturnList() {
        queue.record("/add");
        queue.record("/add");
        queue.record("/audit");
        queue.redis().rpush("eventservice", "{\"action\":\"summary\",\"returnPath\":\"report:1\"}");

        var reply = queue.redis().blpop(5, "report:1");

        assertNotNull(reply, "a reply within 5 s");
        assertEquals("{\"/add\":2,\"/audit\":1}", reply.getValue());
        assertTrue(queue.redis().ttl("report:1") <= 60);
    }

    @Test
    void answersTheSummaryOverHttpMostVisitedFirst() {
        queue.record("/report");
        queue.record("/add");
        queue.record("/add");
        waitForEvents(3);

        assertEquals("{\"/add\":2,\"/report\":1}", http.get("/summary").body());
        assertEquals("{\"/add\":2}", http.get("/summary?top=1").body());
        assertViolations(http.get("/summary?top=-1"), 400, "top");
    }

    @Test
    void aRedeliveredEventIsStoredOnce() {
        String message = TestQueue.recordMessage("same-id", "/add");
        queue.redis().rpush("eventservice", message, message);
        queue.record("/audit");

        waitForProcessed();

        assertEquals(2, collectionCount());
        assertEquals("{\"/add\":1,\"/audit\":1}", http.get("/summary").body());
    }

    @Test
    void theOriginalsIdLessMessagesAreAcceptedAndIdentifiedByContent() {
        queue.redis().rpush("eventservice", "{\"action\":\"record\",\"type\":\"page\",\"url\":\"/\"}");

        Document stored = waitForEvents(1).get(0);

        assertTrue(stored.getString("_id").startsWith("sha256:"), stored::toJson);
        assertEquals("/", stored.getString("url"));
    }

    @Test
    void malformedAndUnknownMessagesGoToTheDeadLettersWithoutBlockingTheQueue() {
        queue.redis().rpush("eventservice", "not json", "{\"action\":\"explode\"}", "{\"action\":\"record\"}");
        queue.record("/after");

        waitForEvents(1);

        List<String> dead = queue.redis().lrange("eventservice:dead", 0, -1);
        assertEquals(List.of("{\"reason\":\"not a JSON object\",\"message\":\"not json\"}",
                "{\"reason\":\"unknown action 'explode'\",\"message\":\"{\\\"action\\\":\\\"explode\\\"}\"}",
                "{\"reason\":\"a record needs a url\",\"message\":\"{\\\"action\\\":\\\"record\\\"}\"}"), dead);
        fixture.awaitAcknowledged();
    }

    @Test
    void readinessChecksRedisAndMongo() {
        var details = http.get("/health/readiness").json().path("details");
        assertEquals("UP", details.path("redis").path("status").asText(), details::toString);
        assertEquals("UP", details.path("mongodb").path("status").asText(), details::toString);
    }

    private List<Document> waitForEvents(int count) {
        Poller.within(Duration.ofSeconds(10)).until(count + " stored events", () -> collectionCount() >= count);
        return fixture.events().find().into(new java.util.ArrayList<>());
    }

    private void waitForProcessed() {
        Poller.within(Duration.ofSeconds(10)).until("the queue and processing list to drain",
                () -> queue.redis().llen("eventservice") == 0 && queue.redis().llen("eventservice:processing") == 0);
    }

    private long collectionCount() {
        return fixture.events().countDocuments();
    }
}
