package io.microcanary.addressbook;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.DateCreated;
import io.micronaut.data.annotation.DateUpdated;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.time.Instant;

/** A row of {@code people}. The id is assigned by {@link PersonService}, so clients may choose one. */
@MappedEntity("people")
record Person(@Id long id,
              String firstName,
              @Nullable String lastName,
              @DateCreated @Nullable Instant createdAt,
              @DateUpdated @Nullable Instant updatedAt) {
}
