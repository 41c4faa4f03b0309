package io.microcanary.addressbook;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

/** The body of {@code PUT /person}, form-encoded (as the original tutorial sends it) or JSON. */
@Serdeable
record PersonInput(@Nullable @Positive Long id,
                   @NotBlank @Size(max = 255) String firstName,
                   @Nullable @Size(max = 255) String lastName) {
}
