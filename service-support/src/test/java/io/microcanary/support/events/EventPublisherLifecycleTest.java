package io.microcanary.support.events;

import io.lettuce.core.RedisClient;
import io.microcanary.localstores.StoreKind;
import io.microcanary.localstores.StoreServer;
import io.microcanary.localstores.Stores;
import io.microcanary.support.background.LiveThreads;
import io.microcanary.testsupport.Poller;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The publisher's thread starts when its service starts it, not with the bean, and ends with the context. */
class EventPublisherLifecycleTest {

    private static final String EVENT = "\\{\"action\":\"record\",\"type\":\"page\",\"url\":\"/before-start\","
            + "\"id\":\"[0-9a-f-]{36}\",\"ts\":\"\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z\"}";

    @Test
    void eventsWaitForTheStartAndThePublisherStopsWithTheContext() throws Exception {
        try (StoreServer redis = Stores.start(StoreKind.REDIS)) {
            RedisClient reader = RedisClient.create(redis.url());
            try (var queue = reader.connect();
                 ApplicationContext context = ApplicationContext.run(
                         Map.of("redis.uri", redis.url(), "redis.timeout", "2s"))) {
                EventPublisher events = context.getBean(EventPublisher.class);
                events.pageView("/before-start");

                assertFalse(LiveThreads.named("event-publisher"), "the bean alone starts no thread");
                assertEquals(1, events.buffered());

                events.start();
                assertTrue(LiveThreads.named("event-publisher"));
                Poller.within(Duration.ofSeconds(5)).until("the event on the queue",
                        () -> queue.sync().llen("eventservice") == 1);
                List<String> pushed = queue.sync().lrange("eventservice", 0, -1);
                assertTrue(pushed.get(0).matches(EVENT), pushed::toString);

                context.close();
                assertFalse(LiveThreads.named("event-publisher"), "closing the context stopped and joined the thread");
            } finally {
                reader.shutdown();
            }
        }
    }
}
