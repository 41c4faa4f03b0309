package io.microcanary.support.problem;

import io.micronaut.core.bind.annotation.Bindable;
import io.micronaut.core.convert.exceptions.ConversionErrorException;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.server.exceptions.NotFoundException;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.serde.exceptions.InvalidPropertyFormatException;
import io.micronaut.web.router.exceptions.UnsatisfiedRouteException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Path;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Turns whatever went wrong into a {@link Problem}. Exception messages are never copied into the body: only
 * {@link ProblemException}s (written for clients) and the framework's own routing messages are shown.
 */
final class ProblemDescriber {

    private ProblemDescriber() {
    }

    static Problem describe(ErrorContext context, HttpStatus status, ErrorSettings settings) {
        String instance = context.getRequest().getPath();
        Throwable cause = context.getRootCause().orElse(null);
        if (cause instanceof ProblemException problem) {
            return problem(status, problem.detail(), instance, problem.violations());
        }
        if (cause instanceof ConstraintViolationException invalid) {
            return problem(status, "The request has invalid fields.", instance, violations(invalid));
        }
        if (cause instanceof ConversionErrorException conversion) {
            Argument<?> invalid = invalidProperty(conversion).orElse(conversion.getArgument());
            String field = clientName(invalid);
            return problem(status, "Invalid value for '" + field + "'.", instance,
                    List.of(new Problem.Violation(field, "must be " + expected(invalid))));
        }
        if (cause instanceof UnsatisfiedRouteException missing) {
            String field = clientName(missing.getArgument());
            return problem(status, "Missing required '" + field + "'.", instance,
                    List.of(new Problem.Violation(field, "is required")));
        }
        if (cause instanceof NotFoundException routeNotFound) {
            // the framework's own fixed text ("Page Not Found"), unless the service has a better hint
            String detail = settings.notFoundDetail() != null ? settings.notFoundDetail() : routeNotFound.getMessage();
            return problem(status, detail, instance, List.of());
        }
        if (cause == null) {
            String detail = context.getErrors().stream().map(Error::getMessage).findFirst().orElse(null);
            return problem(status, detail, instance, List.of());
        }
        return problem(status, genericDetail(status), instance, List.of());
    }

    private static Problem problem(HttpStatus status, String detail, String instance, List<Problem.Violation> violations) {
        return new Problem("about:blank", status.getReason(), status.getCode(), detail, instance, violations);
    }

    /** The name the client used: {@code @QueryValue("_page") Integer page} is {@code _page} to the client. */
    private static String clientName(Argument<?> argument) {
        return argument.getAnnotationMetadata().stringValue(Bindable.class).filter(name -> !name.isBlank())
                .orElse(argument.getName());
    }

    /** A body that failed to bind names the body ({@code person}); the property inside is what the client got wrong. */
    private static Optional<Argument<?>> invalidProperty(Throwable conversion) {
        for (Throwable cause = conversion; cause != null; cause = cause.getCause()) {
            if (cause instanceof InvalidPropertyFormatException property) {
                return Optional.of(property.getArgument());
            }
        }
        return Optional.empty();
    }

    private static List<Problem.Violation> violations(ConstraintViolationException invalid) {
        return invalid.getConstraintViolations().stream()
                .map(v -> new Problem.Violation(fieldName(v), v.getMessage()))
                .sorted(Comparator.comparing(Problem.Violation::field).thenComparing(Problem.Violation::message))
                .toList();
    }

    /** {@code save.person.firstName} names the method and parameter too; the client only knows {@code firstName}. */
    private static String fieldName(ConstraintViolation<?> violation) {
        String last = null;
        for (Path.Node node : violation.getPropertyPath()) {
            if (node.getName() != null) {
                last = node.getName();
            }
        }
        return last == null ? "request" : last;
    }

    private static String expected(Argument<?> argument) {
        Class<?> type = argument.getType();
        if (type == Long.class || type == long.class || type == Integer.class || type == int.class) {
            return "an integer";
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
            return "a number";
        }
        return "a valid " + type.getSimpleName();
    }

    private static String genericDetail(HttpStatus status) {
        return switch (status) {
            case BAD_REQUEST -> "The request could not be read.";
            case INTERNAL_SERVER_ERROR -> "Something went wrong on our side.";
            default -> Optional.ofNullable(status.getReason()).orElse(null);
        };
    }
}
