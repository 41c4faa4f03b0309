package io.microcanary.support.stores;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import java.time.Duration;

/**
 * Where Redis is and how to log in. The credentials are apart from the URI, so they are never in a URI that a log
 * line or an error message prints; in the cluster they come from the Secret {@code redis}.
 *
 * @param uri      {@code REDIS_URI}, e.g. {@code redis://redis:6379}
 * @param username {@code REDIS_USERNAME}: an ACL user; empty with a password means the {@code default} user
 * @param password {@code REDIS_PASSWORD}: empty for a Redis without {@code requirepass} (the local dev stack)
 * @param timeout  how long a command may wait before it fails (and the caller falls back or answers 503)
 */
@ConfigurationProperties("redis")
@Requires(classes = io.lettuce.core.RedisClient.class, property = "redis.uri")
public record RedisSettings(@NotBlank String uri, @Nullable String username, @Nullable String password,
                            @NotNull Duration timeout) {
}
