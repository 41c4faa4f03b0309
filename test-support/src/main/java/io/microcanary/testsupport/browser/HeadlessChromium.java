package io.microcanary.testsupport.browser;

import io.microcanary.testsupport.Poller;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Predicate;

/**
 * Debian's Chromium, headless, driven through Debian's chromedriver. Both paths are given explicitly so
 * Selenium never tries to download a browser or driver (this machine reaches no such host). A missing browser
 * fails the test with the install command, never skips it.
 */
public final class HeadlessChromium implements AutoCloseable {

    public static final String BROWSER = "/usr/bin/chromium";
    public static final String DRIVER = "/usr/bin/chromedriver";

    private final Path profile;
    private final ChromeDriver driver;

    private HeadlessChromium(Path profile, ChromeDriver driver) {
        this.profile = profile;
        this.driver = driver;
    }

    /** A fresh browser with its own empty profile and a phone-to-laptop sized window (1280x900). */
    public static HeadlessChromium start() {
        return start(1280, 900);
    }

    public static HeadlessChromium start(int width, int height) {
        for (String binary : new String[]{BROWSER, DRIVER}) {
            if (!new File(binary).canExecute()) {
                throw new IllegalStateException(binary + " is missing: apt-get install -y chromium chromium-driver");
            }
        }
        Path profile;
        try {
            profile = Files.createTempDirectory("micro-canary-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions()
                .setBinary(BROWSER)
                .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        "--no-first-run", "--disable-quic", "--window-size=" + width + "," + height,
                        "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(DRIVER))
                .usingAnyFreePort()
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(20));
        return new HeadlessChromium(profile, driver);
    }

    public WebDriver driver() {
        return driver;
    }

    /**
     * Waits until {@code condition} holds on the current page. Use it after every click that navigates: until the
     * next page has loaded, elements found may belong to the old one (and go stale).
     */
    public void waitUntil(String what, Predicate<WebDriver> condition) {
        Poller.within(Duration.ofSeconds(15)).until(what, () -> condition.test(driver));
    }

    /** Waits until the first element matching {@code selector} shows exactly {@code text}. */
    public void waitForText(By selector, String text) {
        Poller.within(Duration.ofSeconds(15)).until("'" + text + "' in " + selector,
                () -> driver.findElement(selector).getText(), text::equals, shown -> "showing '" + shown + "'");
    }

    /** Saves what the page looks like now, for a person to look at when a test fails. */
    public Path screenshot(Path file) {
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, driver.getScreenshotAs(org.openqa.selenium.OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            io.microcanary.localstores.Directories.deleteQuietly(profile);
        }
    }
}
