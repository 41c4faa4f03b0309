package io.microcanary.support.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.UUID;

/**
 * A page event as eventservice reads it off the queue: {@code {"action":"record","type":"page","url":...,"id":...,
 * "ts":...}}, the id making a redelivery harmless and the time in ISO-8601.
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
record PageEvent(String action, String type, String url, String id, String ts) {

    static PageEvent viewOf(String url, UUID id, Instant at) {
        return new PageEvent("record", "page", url, id.toString(), at.toString());
    }
}
