package io.microcanary.support.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/** An RFC 9457 {@code application/problem+json} body: the one error shape every service answers with. */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(String type, String title, int status, String detail, String instance,
                      List<Violation> violations) {

    public static final String MEDIA_TYPE = "application/problem+json";

    /** One invalid input: the field (property or parameter name as the client sent it) and what is wrong. */
    @Serdeable
    public record Violation(String field, String message) {
    }
}
