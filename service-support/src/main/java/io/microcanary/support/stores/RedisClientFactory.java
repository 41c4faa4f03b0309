package io.microcanary.support.stores;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

/**
 * The one Redis client of a service. Commands time out after {@code redis.timeout}, commands issued while
 * disconnected are rejected at once instead of queued, and the client reconnects by itself.
 */
@Factory
@Requires(classes = RedisClient.class, property = "redis.uri")
final class RedisClientFactory {

    @Singleton
    @Bean(preDestroy = "shutdown")
    RedisClient redisClient(RedisSettings settings) {
        RedisURI uri = RedisURI.create(settings.uri());
        uri.setTimeout(settings.timeout());
        RedisClient client = RedisClient.create(uri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .socketOptions(SocketOptions.builder().connectTimeout(settings.timeout()).build())
                .timeoutOptions(TimeoutOptions.enabled(settings.timeout()))
                .build());
        return client;
    }
}
