package io.microcanary.support.events;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

import java.time.Duration;

/**
 * @param queue       the Redis list events go to ({@code eventservice})
 * @param bufferSize  how many events wait in memory while Redis is away; beyond that new events are dropped and
 *                    counted ({@code micro_canary_events_dropped_total})
 * @param logInterval how often, at most, drops are logged
 */
@ConfigurationProperties("micro-canary.events")
public record EventSettings(@Bindable(defaultValue = "eventservice") @NotBlank String queue,
                            @Bindable(defaultValue = "10000") @Positive int bufferSize,
                            @Bindable(defaultValue = "10s") @NotNull Duration logInterval) {
}
