package io.microcanary.auditservice;

import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;

/** One calculation in the trail, as stored and as listed: {@code {ts, calc, result}}. */
@Serdeable
record AuditEntry(Instant ts, String calc, long result) {
}
