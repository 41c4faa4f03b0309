package io.microcanary.support.stores;

import com.mongodb.MongoSecurityException;
import com.mongodb.client.MongoClient;
import io.micronaut.context.annotation.Requires;
import io.micronaut.management.health.indicator.annotation.Readiness;
import jakarta.inject.Singleton;
import org.bson.Document;

@Singleton
@Readiness
@Requires(beans = MongoClient.class)
final class MongoReadiness extends StoreReadiness {

    private final MongoClient client;

    MongoReadiness(MongoClient client) {
        super("mongodb");
        this.client = client;
    }

    @Override
    boolean refusedLogin(RuntimeException failure) {
        return causedBy(failure, cause -> cause instanceof MongoSecurityException);
    }

    @Override
    String credentials() {
        return "check MONGODB_USERNAME and MONGODB_PASSWORD";
    }

    @Override
    void ping() {
        client.getDatabase("admin").runCommand(new Document("ping", 1));
    }
}
