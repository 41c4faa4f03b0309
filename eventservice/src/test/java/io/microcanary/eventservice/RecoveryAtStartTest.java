package io.microcanary.eventservice;

import com.mongodb.client.MongoClient;
import io.microcanary.testsupport.Poller;
import io.microcanary.localstores.StoreKind;
import io.microcanary.localstores.StoreServer;
import io.microcanary.localstores.Stores;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A crash left messages in the processing list (one of them already stored): the next start finishes the job. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RecoveryAtStartTest implements TestPropertyProvider {

    private static final StoreServer redis = Stores.start(StoreKind.REDIS);
    private static final StoreServer mongo = Stores.start(StoreKind.MONGO);

    @Inject
    MongoClient mongoClient;

    @Override
    public Map<String, String> getProperties() {
        try (TestQueue queue = new TestQueue(redis.url())) {
            // what a crash between "moved to processing" and "acknowledged" leaves behind, before the service starts
            queue.redis().rpush("eventservice:processing", TestQueue.recordMessage("a", "/add"),
                    TestQueue.recordMessage("b", "/audit"));
        }
        try (var client = com.mongodb.client.MongoClients.create(mongo.url())) {
            client.getDatabase("events").getCollection("events").insertOne(new org.bson.Document("_id", "a")
                    .append("ts", new java.util.Date()).append("eventType", "page").append("url", "/add"));
        }
        return Map.of("redis.uri", redis.url(), "mongodb.uri", mongo.url());
    }

    @AfterAll
    void stopStores() {
        redis.close();
        mongo.close();
    }

    @Test
    void handlesWhatWasLeftInProcessingExactlyOnce() {
        try (TestQueue queue = new TestQueue(redis.url())) {
            Poller.within(Duration.ofSeconds(10)).until("the processing list to drain",
                    () -> queue.redis().llen("eventservice:processing") == 0);
        }
        var events = mongoClient.getDatabase("events").getCollection("events");
        assertEquals(2, events.countDocuments());
        assertEquals(1, events.countDocuments(new org.bson.Document("_id", "a")));
    }
}
