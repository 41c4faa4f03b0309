package io.microcanary.addressbook;

import io.microcanary.support.startup.FirstRequestWarmUp;
import io.micronaut.context.BeanProvider;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.env.Environment;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.time.Instant;
import java.util.List;

/**
 * The first {@code GET /all}'s one-time work: creating the controller and the beans behind it (the person service,
 * the list's cache); Micronaut Data creating its JDBC operations (and the beans they need) on the first repository
 * call, then building that query's statement and entity mapper; and the first response's serializer.
 * Profiled (async-profiler, wall clock) on the first {@code GET /all}, JDK 25 with its AOT cache: of ~25 ms in the
 * route, ~15 ms was creating the JDBC operations and ~12 ms the first query's statement and mapping. bench/startup.sh,
 * interleaved, medians of 3: first {@code GET /all} 77 -> 27 ms, ready 1,525 -> 1,451 ms. Profiled again on the
 * first {@code GET /all} after that: over half of what was left went on creating the controller and its beans.
 *
 * <p>It looks up one id that generated ids never take (0), not the list: a read of every row at each start would
 * grow with the table. Nothing is written, and {@link PeopleListCache} is left alone (its counters count requests).
 * With the database down it gives up within the pool's connection timeout. Not in the database commands
 * ({@link DatabaseCommands}), which serve no request.
 */
@Singleton
@Requires(notEnv = Environment.CLI)
final class RepositoryWarmUp extends FirstRequestWarmUp {

    private static final long NO_SUCH_ID = 0;

    private final BeanProvider<PersonController> controller;
    private final BeanProvider<PersonRepository> people;
    private final BeanProvider<JsonMapper> json;

    RepositoryWarmUp(BeanProvider<PersonController> controller, BeanProvider<PersonRepository> people,
                     BeanProvider<JsonMapper> json) {
        this.controller = controller;
        this.people = people;
        this.json = json;
    }

    @Override
    protected void warmUp() throws IOException {
        controller.get();
        people.get().findById(NO_SUCH_ID);
        json.get().writeValueAsBytes(Argument.listOf(PersonView.class),
                List.of(new PersonView(NO_SUCH_ID, "warm-up", null, Instant.EPOCH, Instant.EPOCH)));
    }
}
