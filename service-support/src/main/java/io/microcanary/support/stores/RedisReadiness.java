package io.microcanary.support.stores;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
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
    boolean refusedLogin(RuntimeException failure) {
        // Redis's own replies: NOAUTH without a password, WRONGPASS with a wrong one (or user)
        return causedBy(failure, cause -> cause instanceof RedisCommandExecutionException
                && cause.getMessage() != null
                && (cause.getMessage().startsWith("NOAUTH") || cause.getMessage().startsWith("WRONGPASS")));
    }

    @Override
    String credentials() {
        return "check REDIS_PASSWORD (and REDIS_USERNAME)";
    }

    @Override
    void ping() {
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            connection.sync().ping();
        }
    }
}
