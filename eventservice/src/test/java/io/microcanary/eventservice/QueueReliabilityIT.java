package io.microcanary.eventservice;

import io.microcanary.testsupport.Poller;
import io.microcanary.localstores.Stores;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 10,000 events, and the consumer, a separate JVM, killed with SIGKILL four times while it works: afterwards
 * MongoDB holds exactly 10,000 distinct events and nothing is left in processing or the dead letters.
 */
class QueueReliabilityIT {

    private static final int EVENTS = 10_000;
    private static final int KILLS = 4;

    @Test
    void noEventIsLostOrDoubledWhenTheConsumerIsKilledMidStream() throws Exception {
        try (EventserviceFixture fixture = EventserviceFixture.start()) {
            TestQueue queue = fixture.queue();
            var events = fixture.events();
            List<String> batch = new ArrayList<>();
            for (int i = 0; i < EVENTS; i++) {
                batch.add(TestQueue.recordMessage("event-" + i, "/page/" + (i % 13)));
                if (batch.size() == 1_000) {
                    queue.redis().rpush("eventservice", batch.toArray(new String[0]));
                    batch.clear();
                }
            }

            List<Long> storedAtKill = new ArrayList<>();
            for (int kill = 0; kill < KILLS; kill++) {
                long before = events.countDocuments();
                Process consumer = startConsumer(fixture, kill);
                Poller.within(Duration.ofSeconds(60)).every(Duration.ofMillis(20)).until("consumer " + kill + " to make progress",
                        () -> events.countDocuments() > before + 300);
                consumer.destroyForcibly(); // SIGKILL: no shutdown hook, no acknowledgement, mid-batch
                assertTrue(consumer.waitFor(10, TimeUnit.SECONDS));
                storedAtKill.add(events.countDocuments());
            }
            System.err.println("stored when each consumer was killed: " + storedAtKill);
            assertTrue(storedAtKill.get(KILLS - 1) < EVENTS, "every kill came mid-stream: " + storedAtKill);

            long started = System.nanoTime();
            long before = events.countDocuments();
            Process last = startConsumer(fixture, KILLS);
            try {
                Poller.within(Duration.ofSeconds(120)).until("the queue to drain", () -> queue.redis().llen("eventservice") == 0
                        && queue.redis().llen("eventservice:processing") == 0 && events.countDocuments() == EVENTS);
                double seconds = (System.nanoTime() - started) / 1e9;
                System.err.printf("last consumer stored %d events in %.1f s (start-up included)%n", EVENTS - before, seconds);
            } finally {
                last.destroy();
                last.waitFor(20, TimeUnit.SECONDS);
            }
            assertEquals(EVENTS, events.countDocuments());
            assertEquals(EVENTS, events.distinct("_id", String.class).into(new ArrayList<>()).size());
            assertEquals(0, queue.redis().llen("eventservice:dead"));
            assertEquals(0, queue.redis().llen("eventservice:processing"));
        }
    }

    /** The real service in its own JVM, configured only by environment variables, as a container would be. */
    private static Process startConsumer(EventserviceFixture fixture, int run) throws IOException {
        Path log = Files.createTempFile("eventservice-" + run + "-", ".log");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), Application.class.getName())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(fixture.environment());
        builder.environment().put("PORT", String.valueOf(Stores.freePort()));
        builder.environment().put("EVENTSERVICE_QUEUE_BATCH_SIZE", "100"); // smaller batches: kills land mid-stream
        return builder.start();
    }
}
