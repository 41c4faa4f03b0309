package io.microcanary.addressbook;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;

/** The original's {@code /ready} route, kept for scripts that use it; Kubernetes uses /health/readiness. */
@Controller("/ready")
@ExecuteOn(TaskExecutors.BLOCKING)
class ReadyController {

    private final DatabaseProbe database;

    ReadyController(DatabaseProbe database) {
        this.database = database;
    }

    @Get
    HttpResponse<Readiness> ready() {
        return database.problem()
                .map(error -> HttpResponse.<Readiness>serverError().status(503).body(new Readiness(false, error)))
                .orElseGet(() -> HttpResponse.ok(new Readiness(true, null)));
    }

    @Serdeable
    record Readiness(boolean ready, @io.micronaut.core.annotation.Nullable String error) {
    }
}
