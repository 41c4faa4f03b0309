package io.microcanary.savaproduct;

import io.micronaut.serde.annotation.Serdeable;

import java.math.BigDecimal;

/** A catalogue entry as stored in {@code catalogue.json}; never sent as it is (see the versioned views). */
@Serdeable
record Product(long id, String locale, String title, String description, BigDecimal price) {
}
