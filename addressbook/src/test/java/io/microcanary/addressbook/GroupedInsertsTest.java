package io.microcanary.addressbook;

import com.fasterxml.jackson.databind.JsonNode;
import io.microcanary.localstores.StoreKind;
import io.microcanary.localstores.Stores;
import io.microcanary.testsupport.http.Http;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Concurrent inserts share statements, yet each caller gets its own committed row, and a bad row fails alone. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GroupedInsertsTest implements TestPropertyProvider {

    @Inject
    EmbeddedServer server;

    @Inject
    GroupedInserts inserts;

    @Override
    public Map<String, String> getProperties() {
        return AddressbookDatabase.settingsFor(Stores.shared(StoreKind.POSTGRES));
    }

    @Test
    void concurrentWritersEachGetTheirOwnCommittedRow() throws Exception {
        int writers = 64;
        ExecutorService clients = Executors.newFixedThreadPool(16);
        try {
            List<Future<Http.Response>> answers = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                String form = "firstName=group" + i + "&lastName=" + (i % 2 == 0 ? "even" : "");
                answers.add(clients.submit(() -> Http.at(server.getURI()).putForm("/person", form)));
            }
            Set<Long> ids = new HashSet<>();
            Http http = Http.at(server.getURI());
            for (int i = 0; i < writers; i++) {
                Http.Response answer = answers.get(i).get(30, TimeUnit.SECONDS);
                assertEquals(200, answer.status(), answer::toString);
                JsonNode person = answer.json();
                assertEquals("group" + i, person.get("firstName").asText(), answer::toString);
                assertEquals(i % 2 == 0 ? "even" : null, person.get("lastName").textValue(), answer::toString);
                ids.add(person.get("id").asLong());
                Http.Response stored = http.get("/person/" + person.get("id").asLong());
                assertEquals(person, stored.json(), "answered only once committed: " + stored);
            }
            assertEquals(writers, ids.size(), "one row each");
        } finally {
            clients.shutdown();
        }
    }

    @Test
    void aRowTheDatabaseRejectsFailsOnlyItsOwnCaller() throws Exception {
        List<CompletableFuture<Person>> good = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            good.add(inserts.insert("neighbour" + i, null));
        }
        CompletableFuture<Person> bad = inserts.insert("nul\u0000byte", null); // PostgreSQL text cannot hold NUL
        for (int i = 10; i < 20; i++) {
            good.add(inserts.insert("neighbour" + i, null));
        }

        assertThrows(ExecutionException.class, () -> bad.get(30, TimeUnit.SECONDS));
        for (int i = 0; i < good.size(); i++) {
            Person saved = good.get(i).get(30, TimeUnit.SECONDS);
            assertEquals("neighbour" + i, saved.firstName());
            assertNull(saved.lastName());
            assertTrue(saved.id() > 0);
        }
    }
}
