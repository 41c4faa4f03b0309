package io.microcanary.eventservice;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.InsertManyOptions;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;
import org.bson.Document;

import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code events.events}: one document per event id, {@code {_id, ts, eventType, url}}. */
@Singleton
class EventStore {

    private static final int DUPLICATE_KEY = 11000;

    private final MongoClient client;
    private final Counter stored;

    EventStore(MongoClient client, MeterRegistry meters) {
        this.client = client;
        this.stored = Counter.builder("micro_canary.events.stored")
                .description("events written to the store, redeliveries not counted")
                .register(meters);
    }

    /** Stores the records; ones already stored (a redelivery after a crash) are skipped, not counted twice. */
    void storeAll(List<Message.Record> records) {
        if (records.isEmpty()) {
            return;
        }
        List<Document> documents = records.stream().map(r -> new Document("_id", r.id()).append("ts", Date.from(r.ts()))
                .append("eventType", r.eventType()).append("url", r.url())).toList();
        try {
            events().insertMany(documents, new InsertManyOptions().ordered(false));
            stored.increment(documents.size());
        } catch (MongoBulkWriteException e) {
            boolean onlyDuplicates = e.getWriteErrors().stream().allMatch(error -> error.getCode() == DUPLICATE_KEY);
            if (!onlyDuplicates || e.getWriteConcernError() != null) {
                throw e;
            }
            stored.increment(documents.size() - e.getWriteErrors().size());
        }
    }

    /** URL to number of events, most visited first; {@code top} limits the entries (0: all). */
    Map<String, Long> counts(int top) {
        List<Document> pipeline = new java.util.ArrayList<>(List.of(
                new Document("$group", new Document("_id", "$url").append("count", new Document("$sum", 1))),
                new Document("$sort", new Document("count", -1).append("_id", 1))));
        if (top > 0) {
            pipeline.add(new Document("$limit", top));
        }
        Map<String, Long> counts = new LinkedHashMap<>();
        for (Document group : events().aggregate(pipeline)) {
            counts.put(group.getString("_id"), ((Number) group.get("count")).longValue());
        }
        return counts;
    }

    long total() {
        return events().countDocuments();
    }

    private MongoCollection<Document> events() {
        return client.getDatabase("events").getCollection("events");
    }
}
