package io.microcanary.addressbook;

import io.microcanary.support.problem.ProblemException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Put;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import jakarta.validation.Valid;

import java.util.Arrays;
import java.util.concurrent.CompletableFuture;

/**
 * The original tutorial's routes, translated to {@link PersonService} calls. Reads and deletes query on a worker
 * thread; a write is queued for the next group insert and answered when it is committed, holding no thread meanwhile.
 */
@Controller
class PersonController {

    private final PersonService people;

    PersonController(PersonService people) {
        this.people = people;
    }

    @Put(uri = "/person", consumes = {MediaType.APPLICATION_FORM_URLENCODED, MediaType.APPLICATION_JSON})
    CompletableFuture<PersonView> put(@Valid @Body PersonInput person) {
        return people.create(person);
    }

    @Get("/person/{id}")
    @ExecuteOn(TaskExecutors.BLOCKING)
    PersonView get(long id) {
        return people.find(id).orElseThrow(() -> new ProblemException(HttpStatus.NOT_FOUND, "No person with id " + id + "."));
    }

    @Delete("/person/{id}")
    @ExecuteOn(TaskExecutors.BLOCKING)
    HttpResponse<Void> delete(long id) {
        people.delete(id);
        return HttpResponse.noContent();
    }

    /** With the list's entity tag, so a client that polls it can ask {@code If-None-Match} and get a bodiless 304. */
    @Get("/all")
    @ExecuteOn(TaskExecutors.BLOCKING)
    HttpResponse<byte[]> all(@Header(HttpHeaders.IF_NONE_MATCH) @Nullable String ifNoneMatch) {
        PeopleListCache.Listing listing = people.all();
        if (matches(ifNoneMatch, listing.etag())) {
            return HttpResponse.<byte[]>notModified().header(HttpHeaders.ETAG, listing.etag());
        }
        return HttpResponse.ok(listing.body()).contentType(MediaType.APPLICATION_JSON_TYPE)
                .header(HttpHeaders.ETAG, listing.etag());
    }

    /** RFC 9110 §13.1.2: a list of tags, weakly compared, or {@code *}. */
    private static boolean matches(String ifNoneMatch, String etag) {
        return ifNoneMatch != null && Arrays.stream(ifNoneMatch.split(","))
                .map(tag -> tag.strip().replaceFirst("^W/", ""))
                .anyMatch(tag -> tag.equals(etag) || tag.equals("*"));
    }
}
