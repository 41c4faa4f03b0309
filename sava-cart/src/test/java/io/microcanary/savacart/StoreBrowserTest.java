package io.microcanary.savacart;

import io.microcanary.testsupport.Poller;
import io.microcanary.testsupport.browser.HeadlessChromium;
import io.microcanary.testsupport.http.Http;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A shopper in a real (headless) browser: with the catalogue up, and with it stopped. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StoreBrowserTest implements TestPropertyProvider {

    private static final FakeCatalogue catalogue = new FakeCatalogue();

    @Inject
    EmbeddedServer server;

    @Override
    public Map<String, String> getProperties() {
        return Map.of("micronaut.http.services.catalogue.url", catalogue.url(), "store.locale", "ie",
                "store.catalogue-breaker.open-for", "1s");
    }

    @AfterAll
    void stopCatalogue() {
        catalogue.close();
    }

    @Test
    void addsTwoProductsRemovesOneAndChecksOut() {
        catalogue.start();
        Http http = Http.at(server.getURI());
        Poller.within(Duration.ofSeconds(10)).until("the live catalogue",
                () -> !http.get("/").body().contains("The catalogue is offline"));
        try (HeadlessChromium browser = HeadlessChromium.start(390, 844)) { // a phone-sized window
            WebDriver page = browser.driver();
            page.get(server.getURI() + "/");
            assertEquals("Sava Store (IE)", page.findElement(By.cssSelector("header h1")).getText());

            addToCart(page, "Dreamcatcher");
            browser.waitForText(By.cssSelector(".cart-link"), "Cart (1)");
            addToCart(page, "Tote Bag");
            browser.waitForText(By.cssSelector(".cart-link"), "Cart (2)");

            page.findElement(By.cssSelector(".cart-link")).click();
            browser.waitForText(By.cssSelector(".total"), "€154.00");
            assertEquals(List.of("Dreamcatcher", "Tote Bag"), lineTitles(page));

            page.findElement(By.cssSelector("tr[data-id='3'] a")).click();
            browser.waitForText(By.cssSelector(".total"), "€129.00");
            assertEquals(List.of("Tote Bag"), lineTitles(page));
            browser.screenshot(Path.of("target", "screenshots", "cart-phone.png"));

            checkOut(browser);
            browser.waitUntil("the confirmation", driver -> !driver.findElements(By.cssSelector(".order-number")).isEmpty());
            assertTrue(page.findElement(By.cssSelector(".order-number")).getText().matches("SAVA-[0-9A-F]{8}"));
            assertEquals("Cart (0)", page.findElement(By.cssSelector(".cart-link")).getText());
        }
    }

    @Test
    void keepsSellingFromTheOfflineCatalogueWhenTheCatalogueIsStopped() {
        catalogue.stop();
        try (HeadlessChromium browser = HeadlessChromium.start()) {
            WebDriver page = browser.driver();
            page.get(server.getURI() + "/");
            assertTrue(page.findElement(By.cssSelector(".notice.offline")).getText().startsWith("The catalogue is offline"));

            addToCart(page, "Papayas");
            browser.waitForText(By.cssSelector(".cart-link"), "Cart (1)");
            page.findElement(By.cssSelector(".cart-link")).click();
            browser.waitForText(By.cssSelector(".total"), "€100.00");
            assertEquals(List.of("Papayas"), lineTitles(page));

            checkOut(browser);
            browser.waitForText(By.cssSelector("main h2"), "Thank you, Ada Lovelace!");
        } finally {
            catalogue.start();
        }
    }

    private static void addToCart(WebDriver page, String title) {
        page.findElements(By.cssSelector(".product")).stream()
                .filter(product -> product.findElement(By.tagName("h3")).getText().equals(title))
                .findFirst().orElseThrow(() -> new AssertionError(title + " is not on " + page.getPageSource()))
                .findElement(By.linkText("Add to cart")).click();
    }

    private static List<String> lineTitles(WebDriver page) {
        return page.findElements(By.cssSelector("tr.line td:first-child")).stream().map(e -> e.getText()).toList();
    }

    private static void checkOut(HeadlessChromium browser) {
        WebDriver page = browser.driver();
        page.findElement(By.linkText("Checkout")).click();
        browser.waitUntil("the checkout form", driver -> !driver.findElements(By.id("name")).isEmpty());
        page.findElement(By.id("name")).sendKeys("Ada Lovelace");
        page.findElement(By.id("email")).sendKeys("ada@example.org");
        page.findElement(By.id("address")).sendKeys("1 Analytical Way, Dublin");
        page.findElement(By.cssSelector("form button")).click();
    }
}
