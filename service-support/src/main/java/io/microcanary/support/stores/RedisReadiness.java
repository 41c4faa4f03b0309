package io.microcanary.support.stores;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micronaut.context.annotation.Requires;
import io.micronaut.management.health.indicator.annotation.Readiness;
import jakarta.inject.Singleton;

@Singleton
@Readiness
@Requires(beans = RedisClient.class)
final class RedisReadiness extends StoreReadiness {

    private final RedisClient client;

    RedisReadiness(RedisClient client) {
        super("redis");
        this.client = client;
    }

    @Override
    void ping() {
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            connection.sync().ping();
        }
    }
}
