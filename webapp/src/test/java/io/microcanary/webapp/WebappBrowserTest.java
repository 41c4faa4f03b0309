package io.microcanary.webapp;

import io.microcanary.testsupport.Poller;
import io.microcanary.testsupport.browser.HeadlessChromium;
import io.microcanary.localstores.StoreKind;
import io.microcanary.localstores.Stores;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;

import java.time.Duration;
import java.util.Map;


/** The cookbook's flow in a real browser: add 2 and 3, see 5, find the calculation in the history. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebappBrowserTest implements TestPropertyProvider {

    private static final FakeDownstreams downstreams = new FakeDownstreams();

    @Inject
    EmbeddedServer server;

    @Override
    public Map<String, String> getProperties() {
        return downstreams.properties(Stores.shared(StoreKind.REDIS).url());
    }

    @AfterAll
    void stop() {
        downstreams.close();
    }

    @Test
    void addsTwoAndThreeAndFindsItInTheHistory() {
        try (HeadlessChromium browser = HeadlessChromium.start()) {
            WebDriver page = browser.driver();
            page.get(server.getURI() + "/");
            page.findElement(By.linkText("Add two numbers")).click();
            page.findElement(By.id("first")).sendKeys("2");
            page.findElement(By.id("second")).sendKeys("3");
            page.findElement(By.cssSelector("form button")).click();
            browser.waitForText(By.cssSelector(".result"), "result = 5");

            Poller.within(Duration.ofSeconds(5)).until("the calculation in the history", () -> {
                page.get(server.getURI() + "/audit");
                return page.findElements(By.cssSelector(".calc")).stream().anyMatch(e -> e.getText().equals("2+3 = 5"));
            });
            page.findElement(By.linkText("Report")).click();
            browser.waitUntil("the report chart", driver -> !driver.findElements(By.cssSelector("svg.chart")).isEmpty());
        }
    }
}
