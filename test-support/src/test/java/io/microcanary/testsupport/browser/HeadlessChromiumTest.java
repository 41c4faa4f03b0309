package io.microcanary.testsupport.browser;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

class HeadlessChromiumTest {

    @Test
    void rendersALocalPageAndRunsItsScript() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] page = ("<!doctype html><title>probe</title><p id=out>static</p>"
                    + "<script>document.getElementById('out').textContent='scripted'</script>").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, page.length);
            try (OutputStream body = exchange.getResponseBody()) {
                body.write(page);
            }
        });
        server.start();
        try (HeadlessChromium browser = HeadlessChromium.start()) {
            browser.driver().get("http://127.0.0.1:" + server.getAddress().getPort() + "/");

            assertEquals("probe", browser.driver().getTitle());
            assertEquals("scripted", browser.driver().findElement(By.id("out")).getText());
        } finally {
            server.stop(0);
        }
    }
}
