package io.microcanary.addressbook;

import io.microcanary.support.problem.ProblemException;
import io.microcanary.support.problem.StoreUnavailableException;
import io.micronaut.http.HttpStatus;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.function.Supplier;

/** Translates driver failures into what a client can act on: 503 (retry later) or 409 (duplicate id). */
final class DatabaseFailures {

    private static final String UNIQUE_VIOLATION = "23505";

    private DatabaseFailures() {
    }

    static <T> T translate(Supplier<T> work) {
        try {
            return work.get();
        } catch (ProblemException e) {
            throw e;
        } catch (RuntimeException e) {
            throw translated(e);
        }
    }

    static RuntimeException translated(Exception failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLTransientConnectionException || cause instanceof SQLNonTransientConnectionException
                    || cause instanceof ConnectException || isConnectionClass(cause)) {
                return new StoreUnavailableException("database", failure);
            }
            if (cause instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
                return new ProblemException(HttpStatus.CONFLICT, "That person already exists.");
            }
            if (cause instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08")) {
                return new StoreUnavailableException("database", failure); // SQLSTATE class 08: connection exception
            }
        }
        return failure instanceof RuntimeException unchecked ? unchecked : new IllegalStateException("database failure", failure);
    }

    private static boolean isConnectionClass(Throwable cause) {
        return cause instanceof io.micronaut.data.connection.exceptions.ConnectionException
                || cause instanceof io.micronaut.transaction.exceptions.CannotCreateTransactionException;
    }
}
