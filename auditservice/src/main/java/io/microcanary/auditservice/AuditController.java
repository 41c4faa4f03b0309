package io.microcanary.auditservice;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import java.util.List;

@Controller
@ExecuteOn(TaskExecutors.BLOCKING)
class AuditController {

    private final AuditTrail trail;

    AuditController(AuditTrail trail) {
        this.trail = trail;
    }

    @Post(uri = "/append", consumes = {MediaType.APPLICATION_JSON, MediaType.APPLICATION_FORM_URLENCODED})
    HttpResponse<AuditEntry> append(@Valid @Body AuditInput input) {
        return HttpResponse.created(trail.append(input));
    }

    @Get("/list")
    AuditList list(@QueryValue(defaultValue = "10") @Min(1) @Max(100) int limit) {
        return new AuditList(trail.latest(limit));
    }

    /** {@code {"list":[]}} when empty: serde leaves empty collections out by default, and readers expect the key. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record AuditList(List<AuditEntry> list) {
    }
}
