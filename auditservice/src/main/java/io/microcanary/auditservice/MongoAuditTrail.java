package io.microcanary.auditservice;

import com.mongodb.MongoException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Indexes;
import io.microcanary.support.problem.StoreUnavailableException;
import jakarta.inject.Singleton;
import org.bson.Document;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.function.Supplier;

/** {@code audit.audit} in MongoDB: {@code {ts, calc, result}}, listed newest first. */
@Singleton
class MongoAuditTrail implements AuditTrail {

    private final MongoClient client;
    private final Clock clock;
    private volatile boolean indexed;

    MongoAuditTrail(MongoClient client) {
        this.client = client;
        this.clock = Clock.systemUTC();
    }

    @Override
    public AuditEntry append(AuditInput input) {
        AuditEntry entry = new AuditEntry(clock.instant(), input.calc().strip(), input.calcResult());
        available(() -> collection().insertOne(document(entry)));
        return entry;
    }

    @Override
    public List<AuditEntry> appendAll(List<AuditInput> inputs) {
        Instant now = clock.instant();
        List<AuditEntry> entries = inputs.stream()
                .map(input -> new AuditEntry(now, input.calc().strip(), input.calcResult()))
                .toList();
        // the driver gives each document an ObjectId that grows in list order: the listing's tie-break on _id
        available(() -> collection().insertMany(entries.stream().map(MongoAuditTrail::document).toList()));
        return entries;
    }

    @Override
    public List<AuditEntry> latest(int limit) {
        return available(() -> {
            List<AuditEntry> entries = new ArrayList<>();
            for (Document document : collection().find().sort(new Document("ts", -1).append("_id", -1)).limit(limit)) {
                entries.add(new AuditEntry(document.getDate("ts").toInstant(), document.getString("calc"),
                        ((Number) document.get("result")).longValue()));
            }
            return entries;
        });
    }

    private static Document document(AuditEntry entry) {
        return new Document("ts", Date.from(entry.ts())).append("calc", entry.calc()).append("result", entry.result());
    }

    private MongoCollection<Document> collection() {
        MongoCollection<Document> audit = client.getDatabase("audit").getCollection("audit");
        if (!indexed) {
            audit.createIndex(Indexes.descending("ts")); // idempotent; created on first use, when MongoDB answers
            indexed = true;
        }
        return audit;
    }

    private static <T> T available(Supplier<T> work) {
        try {
            return work.get();
        } catch (MongoException e) {
            throw new StoreUnavailableException("audit store", e);
        }
    }

    private static void available(Runnable work) {
        available(() -> {
            work.run();
            return null;
        });
    }

}
