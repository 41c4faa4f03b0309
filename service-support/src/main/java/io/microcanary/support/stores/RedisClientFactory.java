package io.microcanary.support.stores;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCredentials;
import io.lettuce.core.RedisCredentialsProvider;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

/**
 * The one Redis client of a service. Commands time out after {@code redis.timeout}, commands issued while
 * disconnected are rejected at once instead of queued, and the client reconnects by itself. With a password set it
 * authenticates on every connection (AUTH, or HELLO with credentials).
 */
@Factory
@Requires(classes = RedisClient.class, property = "redis.uri")
final class RedisClientFactory {

    @Singleton
    @Bean(preDestroy = "shutdown")
    RedisClient redisClient(RedisSettings settings) {
        RedisClient client = RedisClient.create(uri(settings));
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .socketOptions(SocketOptions.builder().connectTimeout(settings.timeout()).build())
                .timeoutOptions(TimeoutOptions.enabled(settings.timeout()))
                .build());
        return client;
    }

    static RedisURI uri(RedisSettings settings) {
        RedisURI uri = RedisURI.create(settings.uri());
        uri.setTimeout(settings.timeout());
        if (settings.password() != null && !settings.password().isEmpty()) {
            String username = settings.username() == null || settings.username().isBlank() ? null : settings.username();
            uri.setCredentialsProvider(RedisCredentialsProvider.from(
                    () -> RedisCredentials.just(username, settings.password())));
        }
        return uri;
    }
}
