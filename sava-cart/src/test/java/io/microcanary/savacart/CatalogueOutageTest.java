package io.microcanary.savacart;

import io.microcanary.testsupport.Poller;
import io.microcanary.testsupport.http.Http;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The catalogue fails in every way it can; the store keeps answering 200 quickly, from its last good catalogue
 * or, before it ever saw one, from the stub fruit list, and says so on the page.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CatalogueOutageTest implements TestPropertyProvider {

    private static final long PAGE_BUDGET_MILLIS = 300;
    /** sava-cart's read-timeout for the catalogue (application.yml). */
    private static final long CATALOGUE_READ_TIMEOUT_MILLIS = 250;
    private static final FakeCatalogue catalogue = new FakeCatalogue();

    @Inject
    EmbeddedServer server;

    @Inject
    FallbackCatalogueService service;

    private Http http;

    @Override
    public Map<String, String> getProperties() {
        return Map.of("micronaut.http.services.catalogue.url", catalogue.url(), "store.locale", "ie",
                "store.catalogue-breaker.open-for", "1s");
    }

    @AfterAll
    void stopCatalogue() {
        catalogue.close();
    }

    @BeforeEach
    void connect() {
        http = Http.at(server.getURI());
    }

    @Test
    @Order(1)
    void beforeAnyGoodAnswerADownCatalogueMeansTheStubFruitList() {
        catalogue.stop();

        Http.Response page = http.get("/");

        assertEquals(200, page.status(), page::toString);
        Document html = Jsoup.parse(page.body());
        List<String> titles = html.select("li.product h3").eachText();
        for (String fruit : List.of("Apples", "Oranges", "Garlic", "Papayas")) {
            assertTrue(titles.contains(fruit), page::toString);
        }
        assertTrue(html.select("li.product p.price").eachText().contains("€100.00"), page::toString);
        assertEquals("The catalogue is offline: showing our offline catalogue.", notice(html), page::toString);
        assertEquals(302, http.get("/add/1004").status(), "the stub products can be bought");
    }

    @Test
    @Order(2)
    void onceSeenTheLastGoodCatalogueIsServedWhileItErrors() {
        catalogue.start();
        catalogue.answer(FakeCatalogue.Mode.V1);
        waitForLiveCatalogue();

        catalogue.answer(FakeCatalogue.Mode.ERROR);
        Http.Response page = http.get("/");

        assertEquals(200, page.status());
        Document html = Jsoup.parse(page.body());
        assertTrue(html.select("li.product h3").eachText().contains("Tote Bag"), page::toString);
        assertEquals("The catalogue is offline: showing the last products we saw.", notice(html), page::toString);
    }

    @Test
    @Order(3)
    void aSlowCatalogueKeepsPagesUnderBudgetAndTheBreakerOpens() {
        catalogue.start();
        catalogue.answer(FakeCatalogue.Mode.V1);
        waitForLiveCatalogue();
        catalogue.answer(FakeCatalogue.Mode.SLOW);

        List<Long> millis = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            long started = System.nanoTime();
            Http.Response page = http.get("/");
            millis.add((System.nanoTime() - started) / 1_000_000);
            assertEquals(200, page.status());
            assertTrue(Jsoup.parse(page.body()).select("li.product h3").eachText().contains("Dreamcatcher"), page::toString);
        }

        long p99 = millis.stream().sorted().toList().get(98);
        assertTrue(p99 < PAGE_BUDGET_MILLIS, "p99 " + p99 + " ms; all: " + millis);
        // Three timeouts open the breaker, then only a trial call per second (open-for) waits for the catalogue.
        // Whether it is OPEN or HALF_OPEN at this instant depends on how long the pages took, which a loaded
        // machine decides; that it kept pages from waiting does not.
        long waited = millis.stream().filter(page -> page >= CATALOGUE_READ_TIMEOUT_MILLIS).count();
        assertTrue(waited <= 10, waited + " of 100 pages waited for the slow catalogue: " + millis);
        assertNotEquals(CircuitBreaker.State.CLOSED, service.breakerState());
    }

    @Test
    @Order(4)
    void aStoppedCatalogueKeepsPagesFast() {
        catalogue.stop();
        List<Long> millis = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            long started = System.nanoTime();
            assertEquals(200, http.get("/").status());
            millis.add((System.nanoTime() - started) / 1_000_000);
        }
        assertTrue(millis.stream().sorted().toList().get(48) < PAGE_BUDGET_MILLIS, "p99 over budget: " + millis);
    }

    @Test
    @Order(5)
    void liveDataReturnsWithinSecondsOfTheCatalogueComingBack() {
        catalogue.start();
        catalogue.answer(FakeCatalogue.Mode.V2);

        waitForLiveCatalogue();

        assertFalse(http.get("/").body().contains("offline"));
    }

    private void waitForLiveCatalogue() {
        Poller.within(Duration.ofSeconds(10)).until("the store to show the live catalogue",
                () -> !http.get("/").body().contains("The catalogue is offline"));
    }

    /** The notice the layout shows above the products when the catalogue is not live. */
    private static String notice(Document page) {
        return page.selectFirst("main > p.notice.offline").text();
    }
}
