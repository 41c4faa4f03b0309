package io.microcanary.savacart;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;

/**
 * A tolerant reader of the catalogue's products: only the fields the store shows, unknown fields ignored, and a
 * price that is a number (v1) or {@code {amount, currency}} (v2), so a newer catalogue does not break the store.
 * A product without a readable price is left out rather than shown at a wrong one.
 */
@Serdeable
record CatalogueItem(long id, String title, @Nullable String description, @Nullable Object price) {

    Optional<Product> toProduct() {
        return amount(price).map(amount -> new Product(id, title, description == null ? "" : description, amount));
    }

    private static Optional<BigDecimal> amount(Object price) {
        if (price instanceof Map<?, ?> structured) {
            return amount(structured.get("amount"));
        }
        if (price instanceof Number number) {
            return Optional.of(new BigDecimal(number.toString()));
        }
        return Optional.empty();
    }
}
