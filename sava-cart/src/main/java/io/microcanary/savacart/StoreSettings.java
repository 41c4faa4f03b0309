package io.microcanary.savacart;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;

import java.time.Duration;
import java.util.Locale;

/**
 * @param locale          the store's catalogue locale ({@code LOCALE}), two lower-case letters, e.g. {@code ie}
 * @param title           the heading ({@code TITLE})
 * @param cartSigningKey  the key carts are signed with ({@code CART_SIGNING_KEY}); empty means a random per process
 * @param catalogueBreaker when to stop calling a failing catalogue, and for how long
 */
@ConfigurationProperties("store")
record StoreSettings(@NotBlank @Pattern(regexp = "[a-z]{2}", message = "must be two lower-case letters, e.g. ie") String locale,
                     @NotBlank String title,
                     @Nullable String cartSigningKey,
                     @Valid @NotNull Breaker catalogueBreaker) {

    @ConfigurationProperties("catalogue-breaker")
    record Breaker(@Positive int failuresToOpen, @NotNull Duration openFor) {
    }

    String heading() {
        return title + " (" + locale.toUpperCase(Locale.ROOT) + ")";
    }
}
