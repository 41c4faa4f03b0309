package io.microcanary.eventservice;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import io.microcanary.localstores.StoreKind;
import io.microcanary.localstores.StoreServer;
import io.microcanary.localstores.Stores;
import io.microcanary.testsupport.Poller;
import org.bson.Document;

import java.time.Duration;
import java.util.Map;

/**
 * What every eventservice test stands on: its own Redis and MongoDB, the settings that point the service at them
 * (in process or in a JVM of its own), a producer's side of the queue and the events collection. One per test
 * class; {@link #close()} releases all of it.
 */
final class EventserviceFixture implements AutoCloseable {

    private final StoreServer redis;
    private final StoreServer mongo;
    private final MongoClient mongoClient;
    private TestQueue queue;

    private EventserviceFixture(StoreServer redis, StoreServer mongo) {
        this.redis = redis;
        this.mongo = mongo;
        this.mongoClient = MongoClients.create(mongo.url());
        this.queue = new TestQueue(redis.url());
    }

    static EventserviceFixture start() {
        return new EventserviceFixture(Stores.start(StoreKind.REDIS), Stores.start(StoreKind.MONGO));
    }

    /** The service's settings, for a {@code TestPropertyProvider}. */
    Map<String, String> properties() {
        return Map.of("redis.uri", redis.url(), "mongodb.uri", mongo.url());
    }

    /** The same settings as a container gets them, for a service started in its own JVM. */
    Map<String, String> environment() {
        return Map.of("REDIS_URI", redis.url(), "MONGODB_URI", mongo.url());
    }

    StoreServer redis() {
        return redis;
    }

    StoreServer mongo() {
        return mongo;
    }

    TestQueue queue() {
        return queue;
    }

    /** A new producer connection, after Redis came back from an outage (the old one may still be reconnecting). */
    TestQueue reconnectQueue() {
        queue.close();
        queue = new TestQueue(redis.url());
        return queue;
    }

    /** {@code events.events}, read directly rather than through the service. */
    MongoCollection<Document> events() {
        return mongoClient.getDatabase("events").getCollection("events");
    }

    /** Empties the queue's lists and the events collection, between tests that share a service. */
    void clear() {
        queue.redis().flushall();
        events().deleteMany(new Document());
    }

    /** A batch leaves the processing list only after it is stored: wait for that, not just for the store. */
    void awaitAcknowledged() {
        Poller.within(Duration.ofSeconds(10)).until("the processing list to be empty",
                () -> queue.redis().llen("eventservice:processing") == 0);
    }

    @Override
    public void close() {
        queue.close();
        mongoClient.close();
        redis.close();
        mongo.close();
    }
}
