package io.microcanary.auditservice;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** {@code POST /append}, JSON or form, with the original's field names. */
@Serdeable
// @Nullable lets a missing calcResult reach validation, which then names it, instead of failing to bind the body
record AuditInput(@NotBlank @Size(max = 200) String calc, @Nullable @NotNull Long calcResult) {
}
