package io.microcanary.systemtests;

import io.microcanary.testsupport.Poller;
import io.microcanary.testsupport.http.Http;
import io.microcanary.localstores.Stores;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The store against a real catalogue process that fails the three ways a release can: killed, slowed to 3 s a
 * request, erroring on half of them (its own fault switches). Every page answers 200 with products, the p99 stays
 * under 300 ms, the offline notice shows while the catalogue is gone, and live data returns within seconds of a
 * healthy catalogue coming back.
 */
class StoreResilienceIT {

    private static final int PAGES = 100;
    private static final long PAGE_BUDGET_MILLIS = 300;
    private static final String OFFLINE = "The catalogue is offline";

    @Test
    void theStoreKeepsSellingWhileTheCatalogueIsKilledSlowedAndErroring() throws Exception {
        int cataloguePort = Stores.freePort();
        Map<String, String> store = Map.of("LOCALE", "ie", "PRODUCT_SERVICE_ADDR", "http://localhost:" + cataloguePort,
                "CART_SIGNING_KEY", "resilience-test-key");
        ServiceProcess catalogue = ServiceProcess.start("sava-product", Map.of(), cataloguePort);
        try (ServiceProcess cart = ServiceProcess.start("sava-cart", store)) {
            Http shop = Http.at(cart.url()).withTimeout(Duration.ofSeconds(5));
            waitForLiveCatalogue(shop);

            catalogue.kill();
            List<String> killed = browse(shop, "catalogue killed");
            assertTrue(killed.stream().allMatch(page -> page.contains(OFFLINE) && page.contains("Dreamcatcher")),
                    "the last good catalogue, with the notice, while the catalogue is gone");

            catalogue = ServiceProcess.start("sava-product", Map.of("FAULT_LATENCY_MS", "3000"), cataloguePort);
            List<String> slow = browse(shop, "catalogue slowed to 3 s");
            assertTrue(slow.stream().allMatch(page -> page.contains(OFFLINE)), "a 3 s catalogue counts as offline");
            catalogue.close();

            catalogue = ServiceProcess.start("sava-product", Map.of("FAULT_ERROR_RATE", "0.5"), cataloguePort);
            browse(shop, "catalogue erroring on half its requests");
            catalogue.close();

            catalogue = ServiceProcess.start("sava-product", Map.of(), cataloguePort);
            waitForLiveCatalogue(shop);
        } finally {
            catalogue.close();
        }
    }

    /** {@link #PAGES} store pages: each must be 200 with products on it, and the p99 within the budget. */
    private static List<String> browse(Http shop, String situation) {
        List<Long> millis = new ArrayList<>();
        List<String> pages = new ArrayList<>();
        for (int i = 0; i < PAGES; i++) {
            long started = System.nanoTime();
            Http.Response page = shop.get("/", "Accept", "text/html");
            millis.add((System.nanoTime() - started) / 1_000_000);
            assertEquals(200, page.status(), () -> situation + ": " + page);
            assertTrue(page.body().contains("/add/"), () -> situation + ", products to buy: " + page);
            pages.add(page.body());
        }
        long p99 = millis.stream().sorted().toList().get(PAGES * 99 / 100 - 1);
        System.err.printf("store pages with the %s: p99 %d ms, max %d ms%n", situation, p99,
                millis.stream().mapToLong(Long::longValue).max().orElseThrow());
        assertTrue(p99 < PAGE_BUDGET_MILLIS, situation + ": p99 " + p99 + " ms; all: " + millis);
        return pages;
    }

    private static void waitForLiveCatalogue(Http shop) {
        Poller.within(Duration.ofSeconds(15)).until("the store to show the live catalogue", () -> {
            String page = shop.get("/", "Accept", "text/html").body();
            return page.contains("Dreamcatcher") && !page.contains(OFFLINE);
        });
    }
}
