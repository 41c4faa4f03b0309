package io.microcanary.support.stores;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import java.time.Duration;

/**
 * Where MongoDB is and how to log in. The credentials are apart from the URI, so they are never in a URI that a log
 * line or an error message prints; in the cluster they come from the Secret {@code mongo}.
 *
 * @param uri      {@code MONGODB_URI}, e.g. {@code mongodb://mongo:27017}
 * @param username {@code MONGODB_USERNAME}: empty for a MongoDB without authentication (the local dev stack)
 * @param password {@code MONGODB_PASSWORD}
 * @param authSource {@code MONGODB_AUTH_SOURCE}: the database the user is defined in ({@code admin}, where the
 *                 official image creates its root user)
 * @param timeout  how long any operation may wait for the server before the request fails fast (a 503)
 */
@ConfigurationProperties("mongodb")
@Requires(classes = com.mongodb.client.MongoClient.class, property = "mongodb.uri")
public record MongoSettings(@NotBlank String uri, @Nullable String username, @Nullable String password,
                            @Nullable String authSource, @NotNull Duration timeout) {

    /** Whether a user is configured: without one the client connects unauthenticated. */
    boolean authenticates() {
        return username != null && !username.isBlank();
    }
}
