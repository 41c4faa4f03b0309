package io.microcanary.addressbook;

import io.micronaut.context.BeanProvider;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.env.Environment;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Once the server has started, does once, on a thread of its own, the one-time work the first repository call after
 * every start otherwise paid for: Micronaut Data creates its JDBC operations (and the beans they need) on the first
 * call, then builds that query's statement and entity mapper. Profiled (async-profiler, wall clock) on the first
 * {@code GET /all}, JDK 25 with its AOT cache: of ~25 ms in the route, ~15 ms was creating the JDBC operations and
 * ~12 ms the first query's statement and mapping. It also encodes a list of one made-up person, the first response's
 * serializer.
 *
 * <p>It looks up one id that generated ids never take (0), not the list: a read of every row at each start would
 * grow with the table. Nothing is written, and {@link PeopleListCache} is left alone (its counters count requests).
 * Readiness does not wait for it; with the database down it gives up within the pool's connection timeout. It starts
 * after a start-up migration ({@link Migrations}, at the context's start). Not at the context's start itself: on two
 * cores it then competed with the server's start and made ready later (bench/startup.sh A/B, medians of 4: ready
 * 1,326 -> 1,475 ms); once the server has started, ready 1,525 -> 1,451 ms, first GET /all 77 -> 27 ms (3 runs each).
 * Not in the database commands ({@link DatabaseCommands}), which serve no request.
 */
@Singleton
@Requires(notEnv = Environment.CLI)
class FirstRequestWarmUp implements ApplicationEventListener<ServerStartupEvent> {

    private static final Logger LOG = LoggerFactory.getLogger(FirstRequestWarmUp.class);
    private static final long NO_SUCH_ID = 0;

    private final BeanProvider<PersonRepository> people;
    private final BeanProvider<JsonMapper> json;
    private final CompletableFuture<Void> done = new CompletableFuture<>();

    // providers, so that the beans are created on the warm-up's thread, not on the start-up's
    FirstRequestWarmUp(BeanProvider<PersonRepository> people, BeanProvider<JsonMapper> json) {
        this.people = people;
        this.json = json;
    }

    @Override
    public void onApplicationEvent(ServerStartupEvent event) {
        Thread warmUp = new Thread(this::warmUp, "first-request-warm-up");
        warmUp.setDaemon(true);
        warmUp.start();
    }

    private void warmUp() {
        try {
            people.get().findById(NO_SUCH_ID);
            json.get().writeValueAsBytes(Argument.listOf(PersonView.class),
                    List.of(new PersonView(NO_SUCH_ID, "warm-up", null, Instant.EPOCH, Instant.EPOCH)));
            done.complete(null);
        } catch (IOException | RuntimeException e) {
            LOG.debug("warm-up incomplete: {}", e.toString()); // the database is down: readiness reports it
            done.completeExceptionally(e);
        }
    }

    /** Completes when the warm-up has run (for tests). */
    CompletableFuture<Void> done() {
        return done;
    }
}
