package io.microcanary.addressbook;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * A person as clients see it; {@code lastName} is {@code null} rather than absent, and times are ISO-8601 with
 * milliseconds, like the original (and the same whether read back or just written).
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
record PersonView(long id, String firstName, String lastName, Instant createdAt, Instant updatedAt) {

    static PersonView of(Person person) {
        return new PersonView(person.id(), person.firstName(), person.lastName(), millis(person.createdAt()),
                millis(person.updatedAt()));
    }

    private static Instant millis(Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.MILLIS);
    }
}
