package io.microcanary.webapp;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.BasicHttpAttributes;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import reactor.core.publisher.Mono;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** The services the front end calls, each a named client with its own timeouts, and what it reads of them. */
final class Downstream {

    private Downstream() {
    }

    /**
     * adderservice's {@code GET /add/{first}/{second}}, non-blocking: the calculate route waits on no thread of its own.
     * The low-level client with the path built here, as the declarative client's URI template expansion and argument
     * binding cost a sixth of the front end's CPU per calculation (issue 17).
     */
    @Singleton
    static final class Adder {

        /** The client metrics' {@code uri} tag, as the declarative client set it: one time series, not one per sum. */
        static final String ROUTE = "/add/{first}/{second}";

        private final HttpClient client;

        Adder(@Client(id = "adderservice") HttpClient client) {
            this.client = client;
        }

        /** Completes exceptionally with the client's exception when adderservice answers 4xx or 5xx, or not at all. */
        CompletableFuture<Sum> add(long first, long second) {
            MutableHttpRequest<?> request = HttpRequest.GET("/add/" + first + "/" + second);
            BasicHttpAttributes.setUriTemplate(request, ROUTE);
            return Mono.from(client.retrieve(request, Sum.class)).toFuture();
        }
    }

    @Client(id = "auditservice")
    interface Audit {
        @Post("/append")
        void append(@Body AuditAppend entry);

        /** Null when auditservice has no such route (404: one from before it), as the client answers a 404. */
        @Post("/append/batch")
        @Nullable
        Appended appendAll(@Body List<AuditAppend> entries);

        @Get("/list")
        AuditList list(@QueryValue int limit);
    }

    @Client(id = "eventservice")
    interface Events {
        @Get("/summary")
        Map<String, Long> summary();
    }

    @Serdeable
    record Sum(long result) {
    }

    @Serdeable
    record AuditAppend(String calc, long calcResult) {
    }

    @Serdeable
    record Appended(long appended) {
    }

    /** A tolerant reader: a trail without the {@code list} key is an empty trail. */
    @Serdeable
    record AuditList(@Nullable List<AuditEntry> list) {
        AuditList {
            list = list == null ? List.of() : list;
        }
    }

    @Serdeable
    record AuditEntry(@Nullable Instant ts, String calc, long result) {
    }
}
