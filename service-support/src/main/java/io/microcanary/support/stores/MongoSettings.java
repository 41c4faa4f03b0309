package io.microcanary.support.stores;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Requires;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import java.time.Duration;

/**
 * @param uri     {@code MONGODB_URI}, e.g. {@code mongodb://mongo:27017}
 * @param timeout how long any operation may wait for the server before the request fails fast (a 503)
 */
@ConfigurationProperties("mongodb")
@Requires(classes = com.mongodb.client.MongoClient.class, property = "mongodb.uri")
public record MongoSettings(@NotBlank String uri, @NotNull Duration timeout) {
}
