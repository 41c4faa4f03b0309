package io.microcanary.eventservice;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.Date;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A crash left messages in the processing list (one of them already stored): the next start finishes the job. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RecoveryAtStartTest implements TestPropertyProvider {

    private static final EventserviceFixture fixture = EventserviceFixture.start();

    @Override
    public Map<String, String> getProperties() {
        // what a crash between "moved to processing" and "acknowledged" leaves behind, before the service starts
        fixture.queue().redis().rpush("eventservice:processing", TestQueue.recordMessage("a", "/add"),
                TestQueue.recordMessage("b", "/audit"));
        fixture.events().insertOne(new Document("_id", "a")
                .append("ts", new Date()).append("eventType", "page").append("url", "/add"));
        return fixture.properties();
    }

    @AfterAll
    void stopStores() {
        fixture.close();
    }

    @Test
    void handlesWhatWasLeftInProcessingExactlyOnce() {
        fixture.awaitAcknowledged();
        assertEquals(2, fixture.events().countDocuments());
        assertEquals(1, fixture.events().countDocuments(new Document("_id", "a")));
    }
}
