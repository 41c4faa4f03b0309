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
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Size;

import java.util.List;

@Controller
@ExecuteOn(TaskExecutors.BLOCKING)
class AuditController {

    static final int MAX_BATCH = 1000;

    private final AuditTrail trail;

    AuditController(AuditTrail trail) {
        this.trail = trail;
    }

    @Post(uri = "/append", consumes = {MediaType.APPLICATION_JSON, MediaType.APPLICATION_FORM_URLENCODED})
    HttpResponse<AuditEntry> append(@Valid @Body AuditInput input) {
        return HttpResponse.created(trail.append(input));
    }

    /**
     * Many calculations in one request and one write, in the order given: a busy front end sends its appends in
     * batches instead of one request each. All or none: one invalid entry is a 400 naming it, and nothing is stored.
     */
    @Post(uri = "/append/batch", consumes = MediaType.APPLICATION_JSON)
    HttpResponse<Appended> appendAll(@Body @NotEmpty @Size(max = MAX_BATCH) List<@Valid AuditInput> inputs) {
        return HttpResponse.created(new Appended(trail.appendAll(inputs).size()));
    }

    @Get("/list")
    AuditList list(@QueryValue(defaultValue = "10") @Min(1) @Max(100) int limit) {
        return new AuditList(trail.latest(limit));
    }

    @Serdeable
    record Appended(int appended) {
    }

    /** {@code {"list":[]}} when empty: serde leaves empty collections out by default, and readers expect the key. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record AuditList(List<AuditEntry> list) {
    }
}
