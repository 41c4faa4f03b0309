package io.microcanary.support.stores;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoCredential;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

import java.util.concurrent.TimeUnit;

/**
 * The one MongoDB client of a service, with every wait bounded by {@code mongodb.timeout}: while the server is
 * down, operations fail within that time (the service answers 503) instead of the driver's default 30 s. With
 * {@code mongodb.username} set it logs in (SCRAM) as that user.
 */
@Factory
@Requires(classes = MongoClient.class, property = "mongodb.uri")
final class MongoClientFactory {

    @Singleton
    @Bean(preDestroy = "close")
    MongoClient mongoClient(MongoSettings settings) {
        return MongoClients.create(clientSettings(settings));
    }

    static MongoClientSettings clientSettings(MongoSettings settings) {
        long millis = settings.timeout().toMillis();
        MongoClientSettings.Builder builder = MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString(settings.uri()))
                .applyToClusterSettings(cluster -> cluster.serverSelectionTimeout(millis, TimeUnit.MILLISECONDS))
                .applyToSocketSettings(socket -> socket.connectTimeout((int) millis, TimeUnit.MILLISECONDS)
                        .readTimeout((int) millis * 2, TimeUnit.MILLISECONDS))
                .applyToConnectionPoolSettings(pool -> pool.maxWaitTime(millis, TimeUnit.MILLISECONDS));
        if (settings.authenticates()) {
            String source = settings.authSource() == null || settings.authSource().isBlank() ? "admin" : settings.authSource();
            builder.credential(MongoCredential.createCredential(settings.username(), source,
                    settings.password() == null ? new char[0] : settings.password().toCharArray()));
        }
        return builder.build();
    }
}
