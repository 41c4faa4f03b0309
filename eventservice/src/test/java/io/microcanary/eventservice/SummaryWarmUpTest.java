package io.microcanary.eventservice;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The start-up's warm-up runs the summary's query against the store, and only reads. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SummaryWarmUpTest implements TestPropertyProvider {

    private static final EventserviceFixture fixture = EventserviceFixture.start();

    @Inject
    SummaryWarmUp warmUp;

    @Override
    public Map<String, String> getProperties() {
        return fixture.properties();
    }

    @AfterAll
    void stopStores() {
        fixture.close();
    }

    @Test
    void warmsUpByReadingOnly() throws Exception {
        warmUp.done().get(30, TimeUnit.SECONDS); // a bound on a hang, not a timing: fails if the warm-up failed

        assertEquals(0, fixture.events().countDocuments());
    }
}
