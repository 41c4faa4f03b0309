package io.microcanary.addressbook;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.DateCreated;
import io.micronaut.data.annotation.DateUpdated;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.time.Instant;

/**
 * A row of {@code people}. Saved without an id, it gets the table's next one in the same statement (INSERT …
 * RETURNING): one round trip per write. A client-chosen id goes through {@link PersonRepository#insertWithId}.
 */
@MappedEntity("people")
record Person(@Id @GeneratedValue @Nullable Long id,
              String firstName,
              @Nullable String lastName,
              @DateCreated @Nullable Instant createdAt,
              @DateUpdated @Nullable Instant updatedAt) {
}
