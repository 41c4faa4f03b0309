package io.microcanary.webapp;

import io.microcanary.testsupport.Poller;
import io.microcanary.testsupport.http.Http;
import io.microcanary.localstores.StoreKind;
import io.microcanary.localstores.Stores;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every page of the front end against downstreams on real sockets, up, down and slow. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebappPagesTest implements TestPropertyProvider {

    private static final FakeDownstreams downstreams = new FakeDownstreams();

    @Inject
    EmbeddedServer server;

    private Http http;

    @Override
    public Map<String, String> getProperties() {
        return downstreams.properties(Stores.shared(StoreKind.REDIS).url());
    }

    @AfterAll
    void stopDownstreams() {
        downstreams.close();
    }

    @BeforeEach
    void connect() {
        http = Http.at(server.getURI());
        downstreams.adder.start();
        downstreams.adder.delay(java.time.Duration.ZERO);
        downstreams.audit.start();
        downstreams.events.start();
    }

    @Test
    void theHomePageLinksEveryPage() {
        Http.Response home = http.get("/");

        assertEquals(200, home.status());
        assertTrue(home.contentType().startsWith("text/html"), home::toString);
        for (String link : new String[]{"/add", "/audit", "/report"}) {
            assertTrue(home.body().contains("href=\"" + link + "\""), link);
        }
    }

    @Test
    void theAddFormStartsAtZero() {
        String form = http.get("/add").body();

        assertTrue(form.contains("<form method=\"post\" action=\"/add/calculate\">"), form);
        assertTrue(form.contains("<p class=\"result\">result = 0</p>"), form);
    }

    @Test
    void calculatingShowsTheResultAndAuditsItInTheBackground() {
        Http.Response page = http.postForm("/add/calculate", "first=2&second=3");

        assertEquals(200, page.status(), page::toString);
        assertTrue(page.body().contains("<p class=\"result\">result = 5</p>"), page::toString);
        Poller.within(Duration.ofSeconds(5)).until("the audit append",
                () -> downstreams.appended.contains("{\"calc\":\"2+3\",\"calcResult\":5}"));
    }

    @Test
    void badOperandsReRenderTheFormWithAMessage() {
        Http.Response page = http.postForm("/add/calculate", "first=two&second=%3Cb%3E");

        assertEquals(400, page.status());
        assertTrue(page.body().contains("Please enter two whole numbers."), page::toString);
        assertTrue(page.body().contains("value=\"&lt;b&gt;\""), "what was typed comes back escaped");
    }

    @Test
    void anOverflowIsExplained() {
        Http.Response page = http.postForm("/add/calculate", "first=9223372036854775807&second=1");

        assertEquals(400, page.status());
        assertTrue(page.body().contains("the sum is too large"), page::toString);
    }

    @Test
    void aDownAdderIsAQuick503Page() {
        downstreams.adder.stop();

        long started = System.nanoTime();
        Http.Response page = http.postForm("/add/calculate", "first=2&second=3");
        long millis = (System.nanoTime() - started) / 1_000_000;

        assertEquals(503, page.status());
        assertTrue(page.body().contains("The adder is unavailable right now."), page::toString);
        assertTrue(millis < 1_500, "answered in " + millis + " ms");
    }

    @Test
    void aSlowAdderIsA503PageAfterTheTimeoutNotAHang() {
        downstreams.adder.delay(java.time.Duration.ofSeconds(3));

        long started = System.nanoTime();
        Http.Response page = http.postForm("/add/calculate", "first=2&second=3");
        long millis = (System.nanoTime() - started) / 1_000_000;

        assertEquals(503, page.status());
        assertTrue(millis < 2_000, "answered in " + millis + " ms");
    }

    @Test
    void aDownAuditTrailNeverFailsTheCalculation() {
        downstreams.audit.stop();

        Http.Response page = http.postForm("/add/calculate", "first=4&second=4");

        assertEquals(200, page.status());
        assertTrue(page.body().contains("result = 8"), page::toString);
        assertEquals(503, http.get("/audit").status());
    }

    @Test
    void anEmptyAuditTrailIsAPageSayingSo() {
        downstreams.appended.clear();
        Http.Response page = http.get("/audit");

        assertEquals(200, page.status(), page::toString);
        assertTrue(page.body().contains("No calculations yet."), page.body());
    }

    @Test
    void theAuditPageListsCalculations() {
        http.postForm("/add/calculate", "first=20&second=22");
        Poller.within(Duration.ofSeconds(5)).until("the audit append",
                () -> downstreams.appended.stream().anyMatch(a -> a.contains("20+22")));

        Http.Response page = http.get("/audit");

        assertEquals(200, page.status());
        assertTrue(page.body().contains("<h1>Calculation History</h1>"), page::toString);
        assertTrue(page.body().contains("<time>2026-11-23 10:00:00 UTC</time> <span class=\"calc\">20+22 = 42</span>"), page::toString);
    }

    @Test
    void theReportDrawsOneEscapedBarPerUrl() {
        Http.Response page = http.get("/report");

        assertEquals(200, page.status());
        assertTrue(page.body().contains("<svg class=\"chart\""), page::toString);
        assertTrue(page.body().contains("<g class=\"bar\" data-url=\"/add\"><text x=\"0\" y=\"22\">/add</text>"
                + "<rect x=\"180\" y=\"5\" width=\"400\""), page::toString);
        assertTrue(page.body().contains("data-url=\"/&lt;b&gt;\""), page::toString);
        assertFalse(page.body().contains("<b>"), page::toString);
        downstreams.events.stop();
        assertEquals(503, http.get("/report").status());
    }

    @Test
    void everyPageRequestPublishesAnEventButProbesDoNot() {
        String page = "/page-" + java.util.UUID.randomUUID(); // other tests publish to the same list: find ours
        var redis = io.lettuce.core.RedisClient.create(Stores.shared(StoreKind.REDIS).url());
        try (var connection = redis.connect()) {
            http.get(page);
            http.get("/health/liveness");

            java.util.function.Supplier<java.util.List<String>> ours = () -> connection.sync().lrange("eventservice", 0, -1)
                    .stream().filter(event -> event.contains("\"url\":\"" + page + "\"")).toList();
            Poller.within(Duration.ofSeconds(5)).until("the page event", () -> ours.get().size() == 1);
            assertTrue(ours.get().get(0).matches("\\{\"action\":\"record\",\"type\":\"page\",\"url\":\"" + page
                    + "\",\"id\":\"[0-9a-f-]{36}\",\"ts\":\"[0-9T:.Z-]+\"}"), ours.get()::toString);
            assertTrue(connection.sync().lrange("eventservice", 0, -1).stream().noneMatch(e -> e.contains("/health")));
        } finally {
            redis.shutdown();
        }
    }
}
