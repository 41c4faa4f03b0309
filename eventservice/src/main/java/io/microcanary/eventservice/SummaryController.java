package io.microcanary.eventservice;

import com.mongodb.MongoException;
import io.microcanary.support.problem.StoreUnavailableException;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import java.util.Map;

/** {@code GET /summary}: URL counts, most visited first, as the queue's summary reply gives them. */
@Controller
@ExecuteOn(TaskExecutors.BLOCKING)
class SummaryController {

    private final EventStore store;

    SummaryController(EventStore store) {
        this.store = store;
    }

    @Get("/summary")
    Map<String, Long> summary(@QueryValue(defaultValue = "0") @Min(0) @Max(1000) int top) {
        try {
            return store.counts(top);
        } catch (MongoException e) {
            throw new StoreUnavailableException("event store", e);
        }
    }
}
