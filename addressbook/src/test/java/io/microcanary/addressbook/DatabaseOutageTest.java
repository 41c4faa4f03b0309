package io.microcanary.addressbook;

import com.fasterxml.jackson.databind.JsonNode;
import io.microcanary.testsupport.Poller;
import io.microcanary.testsupport.http.Http;
import io.microcanary.localstores.StoreKind;
import io.microcanary.localstores.StoreServer;
import io.microcanary.localstores.Stores;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.Map;

import static io.microcanary.testsupport.http.Problems.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** PostgreSQL stops and comes back mid-test: the service degrades fast and recovers without a restart. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DatabaseOutageTest implements TestPropertyProvider {

    /** Kubernetes' default readiness probe period: the service must report DOWN within one. */
    private static final Duration PROBE_PERIOD = Duration.ofSeconds(10);
    private static final long FAST_FAILURE_MILLIS = 2_000;

    // static: Micronaut Test may create more than one instance of a test class
    private static final StoreServer postgres = Stores.start(StoreKind.POSTGRES);

    @Inject
    EmbeddedServer server;

    @Override
    public Map<String, String> getProperties() {
        return AddressbookDatabase.settingsFor(postgres);
    }

    @AfterAll
    void closeDatabase() {
        postgres.close();
    }

    @Test
    void degradesFastWhileTheDatabaseIsDownAndRecoversByItself() {
        Http http = Http.at(server.getURI());
        long id = http.putForm("/person", "firstName=before").json().get("id").asLong();

        postgres.stop();

        Poller.within(PROBE_PERIOD).until("readiness to report the database down",
                () -> http.get("/health/readiness").status() == 503);
        assertEquals(200, http.get("/health/liveness").status(), "liveness checks the process only");

        long started = System.nanoTime();
        Http.Response all = http.get("/all");
        long elapsedMillis = (System.nanoTime() - started) / 1_000_000;
        JsonNode problem = assertProblem(all, 503);
        assertEquals("The database is unavailable. Try again shortly.", problem.get("detail").asText());
        assertEquals("1", all.header("Retry-After").orElse(null), all::toString);
        assertTrue(elapsedMillis < FAST_FAILURE_MILLIS, "answered in " + elapsedMillis + " ms");

        assertProblem(http.putForm("/person", "firstName=during"), 503);
        Http.Response ready = http.get("/ready");
        assertEquals(503, ready.status(), ready::toString);
        assertEquals("{\"ready\":false,\"error\":\"database unreachable\"}", ready.body());

        postgres.start();

        Poller.within(Duration.ofSeconds(20)).until("the API to serve again", () -> http.get("/all").status() == 200);
        assertEquals(200, http.get("/health/readiness").status());
        assertEquals("before", http.get("/person/" + id).json().get("firstName").asText(), "data kept");

        Poller.within(Duration.ofSeconds(10)).until("the list to be cached again (the listener resubscribed)",
                () -> PeopleListMetrics.servesFromMemory(http));
        long elsewhere = AddressbookDatabase.insertElsewhere(postgres, "after");
        Poller.within(Duration.ofSeconds(1)).until("a change from another replica to be listed",
                () -> http.get("/all").body().contains("\"id\":" + elsewhere + ","));
    }
}
