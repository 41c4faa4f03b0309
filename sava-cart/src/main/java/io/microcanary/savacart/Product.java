package io.microcanary.savacart;

import java.math.BigDecimal;

/** A product as the store needs it: nothing more than it shows. */
record Product(long id, String title, String description, BigDecimal price) {
}
