package io.microcanary.addressbook;

import io.microcanary.support.problem.ProblemException;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Put;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import jakarta.validation.Valid;

import java.util.List;

/** The original tutorial's routes, translated to {@link PersonService} calls. */
@Controller
@ExecuteOn(TaskExecutors.BLOCKING)
class PersonController {

    private final PersonService people;

    PersonController(PersonService people) {
        this.people = people;
    }

    @Put(uri = "/person", consumes = {MediaType.APPLICATION_FORM_URLENCODED, MediaType.APPLICATION_JSON})
    PersonView put(@Valid @Body PersonInput person) {
        return people.create(person);
    }

    @Get("/person/{id}")
    PersonView get(long id) {
        return people.find(id).orElseThrow(() -> new ProblemException(HttpStatus.NOT_FOUND, "No person with id " + id + "."));
    }

    @Delete("/person/{id}")
    HttpResponse<Void> delete(long id) {
        people.delete(id);
        return HttpResponse.noContent();
    }

    @Get("/all")
    List<PersonView> all() {
        return people.all();
    }
}
