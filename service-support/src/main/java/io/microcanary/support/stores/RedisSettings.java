package io.microcanary.support.stores;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Requires;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import java.time.Duration;

/**
 * @param uri     {@code REDIS_URI}, e.g. {@code redis://redis:6379}
 * @param timeout how long a command may wait before it fails (and the caller falls back or answers 503)
 */
@ConfigurationProperties("redis")
@Requires(classes = io.lettuce.core.RedisClient.class, property = "redis.uri")
public record RedisSettings(@NotBlank String uri, @NotNull Duration timeout) {
}
