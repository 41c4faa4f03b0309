package io.microcanary.systemtests;

import io.microcanary.testsupport.Checkout;

import io.microcanary.testsupport.Poller;
import io.microcanary.testsupport.browser.HeadlessChromium;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Node Cookbook's flow across the real services, each its own JVM from its jar: add in the browser, find the
 * calculation in the history, see /add counted in the report — and the report CLI reading the same counts.
 */
class MicroSystemIT {

    @Test
    void theCookbookFlowWorksAcrossTheRealServices() throws Exception {
        try (LocalSystem system = new LocalSystem(List.of("adderservice", "auditservice", "eventservice", "webapp"));
             HeadlessChromium browser = HeadlessChromium.start()) {
            WebDriver page = browser.driver();
            String webapp = system.url("webapp");

            page.get(webapp + "/add");
            page.findElement(By.id("first")).sendKeys("2");
            page.findElement(By.id("second")).sendKeys("3");
            page.findElement(By.cssSelector("form button")).click();
            browser.waitForText(By.cssSelector(".result"), "result = 5");

            Poller.within(Duration.ofSeconds(10)).until("2+3 in the calculation history", () -> {
                page.get(webapp + "/audit");
                return page.findElements(By.cssSelector(".calc")).stream().anyMatch(e -> e.getText().equals("2+3 = 5"));
            });
            Poller.within(Duration.ofSeconds(10)).until("/add counted in the report", () -> {
                page.get(webapp + "/report");
                return !page.findElements(By.cssSelector("g.bar[data-url='/add']")).isEmpty();
            });

            Path out = Files.createTempFile("report-", ".out");
            Process report = new ProcessBuilder("bash", "report/report", "--redis-url", system.stackValue("REDIS_URI"))
                    .directory(Checkout.root().toFile()).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            assertTrue(report.waitFor(30, TimeUnit.SECONDS));
            String table = Files.readString(out);
            assertEquals(0, report.exitValue(), table);
            assertTrue(table.startsWith("url "), table);
            assertTrue(table.lines().anyMatch(line -> line.matches("/add +[1-9][0-9]*")), table);
        }
    }
}
