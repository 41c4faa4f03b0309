package io.microcanary.support.problem;

import io.micronaut.http.HttpStatus;

import java.util.List;

/**
 * A failure the client should see as a problem+json body. Its detail is written for the client, so unlike
 * other exceptions' messages it is shown; never put driver or stack text in it.
 */
public class ProblemException extends RuntimeException {

    private final HttpStatus status;
    private final String detail;
    private final List<Problem.Violation> violations;

    public ProblemException(HttpStatus status, String detail) {
        this(status, detail, List.of());
    }

    public ProblemException(HttpStatus status, String detail, List<Problem.Violation> violations) {
        this(status, detail, violations, null);
    }

    /** {@code cause} is kept for the logs only; clients see {@code detail}. */
    public ProblemException(HttpStatus status, String detail, List<Problem.Violation> violations, Throwable cause) {
        super(detail, cause, false, false);
        this.status = status;
        this.detail = detail;
        this.violations = List.copyOf(violations);
    }

    public static ProblemException invalidField(String field, String message) {
        return new ProblemException(HttpStatus.BAD_REQUEST, "Invalid value for '" + field + "'.",
                List.of(new Problem.Violation(field, message)));
    }

    public HttpStatus status() {
        return status;
    }

    public String detail() {
        return detail;
    }

    public List<Problem.Violation> violations() {
        return violations;
    }
}
