package io.microcanary.savacart;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The start-up's warm-up renders a page without asking the catalogue, so the breaker sees no call of its making. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StorePageWarmUpTest implements TestPropertyProvider {

    private static final FakeCatalogue catalogue = new FakeCatalogue();

    @Inject
    StorePageWarmUp warmUp;

    @Inject
    FallbackCatalogueService service;

    @Override
    public Map<String, String> getProperties() {
        return Map.of("micronaut.http.services.catalogue.url", catalogue.url(), "store.locale", "ie");
    }

    @AfterAll
    void stopCatalogue() {
        catalogue.close();
    }

    @Test
    void warmsUpWithoutCallingTheCatalogue() throws Exception {
        warmUp.done().get(30, TimeUnit.SECONDS); // a bound on a hang, not a timing: fails if the warm-up failed

        assertTrue(catalogue.acceptHeaders().isEmpty(), () -> "the catalogue was called: " + catalogue.acceptHeaders());
        assertEquals(CircuitBreaker.State.CLOSED, service.breakerState());
    }
}
