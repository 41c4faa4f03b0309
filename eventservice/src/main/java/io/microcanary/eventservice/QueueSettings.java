package io.microcanary.eventservice;

import io.micronaut.context.annotation.ConfigurationProperties;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

import java.time.Duration;

/**
 * @param name        the list producers push to (the original's {@code eventservice})
 * @param processing  where a message waits between being taken and being stored
 * @param deadLetters where malformed or unknown messages go, with the reason
 * @param batchSize   how many messages are stored with one write
 * @param replyTtl    how long a summary reply waits for its reader
 */
@ConfigurationProperties("eventservice.queue")
record QueueSettings(@NotBlank String name, @NotBlank String processing, @NotBlank String deadLetters,
                     @Positive @Max(10_000) int batchSize, @NotNull Duration replyTtl) {
}
