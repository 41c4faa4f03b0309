package io.microcanary.support.problem;

import io.micronaut.http.HttpStatus;

import java.util.List;

/** A store (database, queue) did not answer in time: the client gets a fast 503 and may retry. */
public class StoreUnavailableException extends ProblemException {

    public StoreUnavailableException(String store, Throwable cause) {
        super(HttpStatus.SERVICE_UNAVAILABLE, "The " + store + " is unavailable. Try again shortly.", List.of(), cause);
    }
}
