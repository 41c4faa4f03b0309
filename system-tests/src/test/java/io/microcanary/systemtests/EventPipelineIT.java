package io.microcanary.systemtests;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import io.lettuce.core.RedisClient;
import io.microcanary.testsupport.Poller;
import io.microcanary.testsupport.http.Http;
import io.microcanary.localstores.StoreKind;
import io.microcanary.localstores.StoreServer;
import io.microcanary.localstores.Stores;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The event pipeline under failure, end to end: 20,000 page views of webapp (each publishes one event) while the
 * eventservice JVM is killed with SIGKILL five times and Redis is restarted once. Afterwards MongoDB holds exactly
 * 20,000 distinct events, none twice, none lost, and no page failed.
 */
class EventPipelineIT {

    private static final int PAGES = 20_000;
    private static final int CLIENTS = 4;
    private static final int KILLS = 5;

    @Test
    void everyPageViewIsStoredExactlyOnceThroughKillsAndARedisRestart() throws Exception {
        try (StoreServer redis = Stores.start(StoreKind.REDIS); StoreServer mongo = Stores.start(StoreKind.MONGO);
             MongoClient mongoClient = MongoClients.create(mongo.url())) {
            MongoCollection<Document> events = mongoClient.getDatabase("events").getCollection("events");
            // smaller consumer batches than the default 500, so that every kill lands mid-stream
            Map<String, String> stores = Map.of("REDIS_URI", redis.url(), "MONGODB_URI", mongo.url(),
                    "EVENTSERVICE_QUEUE_BATCH_SIZE", "100");
            try (ServiceProcess webapp = ServiceProcess.start("webapp", stores)) {
                ServiceProcess consumer = ServiceProcess.start("eventservice", stores);
                AtomicInteger served = new AtomicInteger();
                ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
                List<Future<Integer>> failures = new ArrayList<>();
                for (int c = 0; c < CLIENTS; c++) {
                    failures.add(clients.submit(() -> browse(webapp.url(), PAGES / CLIENTS, served)));
                }

                List<Long> storedAtKill = new ArrayList<>();
                for (int kill = 1; kill <= KILLS; kill++) {
                    long before = events.countDocuments();
                    Poller.within(Duration.ofSeconds(60)).every(Duration.ofMillis(20))
                            .until("eventservice to store events before kill " + kill,
                                    () -> events.countDocuments() > before + 500);
                    consumer.kill();
                    storedAtKill.add(events.countDocuments());
                    if (kill == 3) {
                        redis.stop(); // with pages still being served: webapp buffers, the queue survives on disk
                        redis.start();
                    }
                    consumer = ServiceProcess.start("eventservice", stores);
                }
                for (Future<Integer> failed : failures) {
                    assertEquals(0, failed.get(), "pages that did not answer 200");
                }
                clients.shutdown();
                System.err.printf("stored when eventservice was killed: %s; pages served: %d%n", storedAtKill, served.get());
                assertTrue(storedAtKill.get(KILLS - 1) < PAGES, "every kill came mid-stream: " + storedAtKill);

                try (ServiceProcess last = consumer) {
                    RedisClient client = RedisClient.create(redis.url());
                    try (var connection = client.connect()) {
                        Poller.within(Duration.ofSeconds(60)).until("every event to be stored", () ->
                                events.countDocuments() == PAGES && connection.sync().llen("eventservice") == 0
                                        && connection.sync().llen("eventservice:processing") == 0);
                        assertEquals(0, connection.sync().llen("eventservice:dead"), "no dead letters");
                    } finally {
                        client.shutdown();
                    }
                }
                assertEquals(PAGES, events.countDocuments(new Document("url", "/add")), "one event per page view");
                assertEquals(PAGES, events.distinct("_id", String.class).into(new ArrayList<>()).size());
                String dropped = Http.at(webapp.url()).get("/prometheus").body().lines()
                        .filter(line -> line.startsWith("micro_canary_events_dropped_total")).findFirst().orElseThrow();
                assertTrue(dropped.endsWith(" 0.0"), dropped);
            }
        }
    }

    /** GETs /add {@code pages} times; returns how many did not answer 200. */
    private static int browse(String url, int pages, AtomicInteger served) {
        Http http = Http.at(url).withTimeout(Duration.ofSeconds(5));
        int failed = 0;
        for (int i = 0; i < pages; i++) {
            if (http.get("/add").status() != 200) {
                failed++;
            }
            served.incrementAndGet();
        }
        return failed;
    }
}
