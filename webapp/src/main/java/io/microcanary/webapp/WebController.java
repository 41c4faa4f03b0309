package io.microcanary.webapp;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.client.exceptions.HttpClientException;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/** The front end's routes: each translates HTTP to a downstream call and a page; a down service is a 503 page. */
@Controller
@Produces(MediaType.TEXT_HTML)
class WebController {

    private static final int AUDIT_ENTRIES = 20;

    private final Calculator calculator;
    private final Downstream.Audit audit;
    private final Downstream.Events events;
    private final Pages pages;

    WebController(Calculator calculator, Downstream.Audit audit, Downstream.Events events, Pages pages) {
        this.calculator = calculator;
        this.audit = audit;
        this.events = events;
        this.pages = pages;
    }

    @Get
    byte[] home() {
        return pages.home();
    }

    @Get("/add")
    byte[] addForm() {
        return pages.addForm("", "", "0", null);
    }

    /** Runs on the event loop: the adder is called without blocking and the page rendered when it answers. */
    @Post(uri = "/add/calculate", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    CompletableFuture<MutableHttpResponse<byte[]>> calculate(@Nullable @Body String form) {
        Operands operands = Operands.fromForm(form);
        Long first = parse(operands.first());
        Long second = parse(operands.second());
        if (first == null || second == null) {
            return CompletableFuture.completedFuture(HttpResponse.<byte[]>badRequest().body(pages.addForm(operands.first(),
                    operands.second(), "0", "Please enter two whole numbers.")));
        }
        return calculator.add(first, second).handle((sum, failure) -> {
            if (failure != null) {
                return unavailable("The adder", failure);
            }
            return sum.isPresent() ? HttpResponse.ok(pages.addForm(operands.first(), operands.second(),
                    String.valueOf(sum.getAsLong()), null))
                    : HttpResponse.<byte[]>badRequest().body(pages.addForm(operands.first(), operands.second(), "0",
                    "Those numbers cannot be added: the sum is too large."));
        });
    }

    @Get("/audit")
    @ExecuteOn(TaskExecutors.BLOCKING)
    MutableHttpResponse<byte[]> auditTrail() {
        return downstream("The audit trail", () -> HttpResponse.ok(pages.audit(audit.list(AUDIT_ENTRIES).list())));
    }

    @Get("/report")
    @ExecuteOn(TaskExecutors.BLOCKING)
    MutableHttpResponse<byte[]> report() {
        return downstream("The report", () -> HttpResponse.ok(pages.report(events.summary())));
    }

    private MutableHttpResponse<byte[]> downstream(String what, Supplier<MutableHttpResponse<byte[]>> call) {
        try {
            return call.get();
        } catch (HttpClientException e) {
            return unavailable(what, e);
        }
    }

    /** A down, slow or failing downstream is a 503 page; anything else is a fault of ours and stays one. */
    private MutableHttpResponse<byte[]> unavailable(String what, Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (!(cause instanceof HttpClientException)) {
            throw cause instanceof RuntimeException unchecked ? unchecked : new CompletionException(cause);
        }
        return HttpResponse.<byte[]>status(HttpStatus.SERVICE_UNAVAILABLE).body(pages.unavailable(what));
    }

    private static Long parse(String text) {
        try {
            return text == null ? null : Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
