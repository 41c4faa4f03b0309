package io.microcanary.addressbook;

import io.microcanary.testsupport.Poller;
import io.microcanary.testsupport.http.Http;
import io.microcanary.localstores.StoreKind;
import io.microcanary.localstores.Stores;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two replicas on one real PostgreSQL: each one's writes reach the other's cached {@code GET /all} through the notices
 * it sends itself, and a burst of writes costs far fewer notices than writes (the trigger's notice per statement
 * serialised every commit).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChangeNoticesTest {

    private EmbeddedServer first;
    private EmbeddedServer second;

    @BeforeAll
    void startTwoReplicas() {
        Map<String, Object> settings = new HashMap<>(AddressbookDatabase.settingsFor(Stores.shared(StoreKind.POSTGRES)));
        settings.put("micronaut.server.port", -1);
        first = ApplicationContext.run(EmbeddedServer.class, settings);
        second = ApplicationContext.run(EmbeddedServer.class, settings);
        for (EmbeddedServer replica : List.of(first, second)) {
            Http http = Http.at(replica.getURI());
            Poller.within(Duration.ofSeconds(10)).until("the replica's listener to subscribe",
                    () -> PeopleListMetrics.servesFromMemory(http));
        }
    }

    @AfterAll
    void stop() {
        first.close();
        second.close();
    }

    @Test
    void aPersonCreatedThroughOneReplicaIsListedByTheOtherWithinASecond() {
        Http reader = Http.at(second.getURI());
        reader.get("/all");
        reader.get("/all"); // the second replica now answers from memory

        long id = Http.at(first.getURI()).putForm("/person", "firstName=replicated").json().get("id").asLong();

        Poller.within(Duration.ofSeconds(1)).until("the second replica to list person " + id,
                () -> reader.get("/all").body().contains("\"id\":" + id + ","));
    }

    @Test
    void aPersonDeletedThroughOneReplicaLeavesTheOthersListWithinASecond() {
        Http writer = Http.at(first.getURI());
        Http reader = Http.at(second.getURI());
        long id = writer.putForm("/person", "firstName=leaving").json().get("id").asLong();
        Poller.within(Duration.ofSeconds(1)).until("person " + id + " to be listed",
                () -> reader.get("/all").body().contains("\"id\":" + id + ","));

        assertEquals(204, writer.delete("/person/" + id).status());

        Poller.within(Duration.ofSeconds(1)).until("the second replica to drop person " + id,
                () -> !reader.get("/all").body().contains("\"id\":" + id + ","));
    }

    @Test
    void aBurstOfWritesIsAnnouncedWithFewerNoticesThanWrites() throws Exception {
        int writes = 200;
        try (Connection listening = AddressbookDatabase.connectAsApp(Stores.shared(StoreKind.POSTGRES))) {
            try (Statement statement = listening.createStatement()) {
                statement.execute("LISTEN people_changed");
            }
            List<Future<Integer>> statuses = new ArrayList<>();
            long started = System.nanoTime();
            ExecutorService clients = Executors.newFixedThreadPool(8);
            try {
                for (int i = 0; i < writes; i++) {
                    int n = i;
                    statuses.add(clients.submit(() -> Http.at(first.getURI()).putForm("/person", "firstName=burst" + n).status()));
                }
                for (Future<Integer> status : statuses) {
                    assertEquals(200, status.get());
                }
            } finally {
                clients.shutdown();
            }
            long burstMillis = (System.nanoTime() - started) / 1_000_000;

            List<PGNotification> notices = new ArrayList<>();
            PGConnection pg = listening.unwrap(PGConnection.class);
            // every write's notice has been sent once one arrives after the burst and then none for half a second
            Poller.within(Duration.ofSeconds(5)).until("the notices to stop", () -> quietAfterSome(pg, notices));
            // at most one notice per interval (and one for a change just before the burst, one just after): on a
            // busy machine the burst is slower and may earn more notices, but never one per write
            long allowed = burstMillis / PeopleChangeNotices.INTERVAL_MILLIS + 2;
            assertTrue(notices.size() <= allowed && notices.size() < writes, notices.size() + " notices for " + writes
                    + " writes in " + burstMillis + " ms: more than one per " + PeopleChangeNotices.INTERVAL_MILLIS + " ms");
        }
    }

    /** Collects what arrives within half a second: true when nothing did, after something had. */
    private static boolean quietAfterSome(PGConnection pg, List<PGNotification> notices) {
        try {
            PGNotification[] received = pg.getNotifications(500);
            if (received == null || received.length == 0) {
                return !notices.isEmpty();
            }
            notices.addAll(List.of(received));
            return false;
        } catch (SQLException e) {
            throw new IllegalStateException("the listening connection failed", e);
        }
    }
}
