package io.microcanary.addressbook;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.DateCreated;
import io.micronaut.data.annotation.DateUpdated;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.time.Instant;

/**
 * A row of {@code people}. New rows without an id are written by {@link GroupedInserts}, many to a statement; a
 * client-chosen id goes through {@link PersonRepository#insertWithId}.
 */
@MappedEntity("people")
record Person(@Id @GeneratedValue @Nullable Long id,
              String firstName,
              @Nullable String lastName,
              @DateCreated @Nullable Instant createdAt,
              @DateUpdated @Nullable Instant updatedAt) {
}
