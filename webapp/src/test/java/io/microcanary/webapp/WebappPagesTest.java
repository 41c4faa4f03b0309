package io.microcanary.webapp;

import io.microcanary.testsupport.Poller;
import io.microcanary.testsupport.http.Http;
import io.microcanary.localstores.StoreKind;
import io.microcanary.localstores.Stores;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
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
        downstreams.audit.delay(java.time.Duration.ZERO);
        downstreams.batchRoute = true;
        downstreams.batchFailures.set(0);
        downstreams.events.start();
    }

    @Test
    void theHomePageLinksEveryPage() {
        Http.Response home = http.get("/");

        assertEquals(200, home.status());
        assertTrue(home.contentType().startsWith("text/html"), home::toString);
        Document html = Jsoup.parse(home.body());
        assertEquals("micro", html.title());
        assertEquals(List.of("/add", "/audit", "/report"), html.select("main ul.links a").eachAttr("href"), home::toString);
        assertEquals(List.of("Add two numbers", "Calculation history", "Report"), html.select("main ul.links a").eachText());
        assertEquals(List.of("/", "/add", "/audit", "/report"), html.select("nav a").eachAttr("href"), home::toString);
    }

    @Test
    void theAddFormStartsAtZero() {
        String form = http.get("/add").body();

        Document html = Jsoup.parse(form);
        Element add = html.selectFirst("main form");
        assertEquals("post", add.attr("method"), form);
        assertEquals("/add/calculate", add.attr("action"), form);
        assertEquals(List.of("first", "second"), add.select("input").eachAttr("name"), form);
        assertEquals(List.of("", ""), add.select("input").eachAttr("value"), form);
        assertEquals("=", add.selectFirst("button[type=submit]").text(), form);
        assertEquals("result = 0", result(form), form);
        assertTrue(html.select("p.problem").isEmpty(), form);
    }

    @Test
    void calculatingShowsTheResultAndAuditsItInTheBackground() {
        Http.Response page = http.postForm("/add/calculate", "first=2&second=3");

        assertEquals(200, page.status(), page::toString);
        assertEquals("result = 5", result(page.body()), page::toString);
        assertEquals("2", Jsoup.parse(page.body()).selectFirst("input#first").val(), "keeps what was typed");
        Poller.within(Duration.ofSeconds(5)).until("the audit append",
                () -> downstreams.appended.contains("{\"calc\":\"2+3\",\"calcResult\":5}"));
    }

    @Test
    void theAdderCallsAreTimedUnderTheRouteNotEachPath() {
        assertEquals(200, http.postForm("/add/calculate", "first=2&second=40").status());

        List<String> timed = http.get("/prometheus").body().lines()
                .filter(line -> line.startsWith("http_client_requests_seconds_count{") && line.contains("adderservice"))
                .toList();
        assertFalse(timed.isEmpty(), "no adder calls timed");
        assertTrue(timed.stream().allMatch(line -> line.contains("uri=\"/add/{first}/{second}\"")), timed::toString);
    }

    @Test
    void calculationsThatArriveWhileAnAppendIsInFlightGoInOneBatch() {
        downstreams.audit.delay(Duration.ofSeconds(1));
        http.postForm("/add/calculate", "first=100&second=0");
        Poller.within(Duration.ofSeconds(5)).until("the first append to be under way",
                () -> appenderThreadIsPosting());
        int requestsBefore = downstreams.appendRequests.get();

        for (int i = 1; i <= 10; i++) {
            assertEquals(200, http.postForm("/add/calculate", "first=100&second=" + i).status());
        }

        Poller.within(Duration.ofSeconds(10)).until("all ten appended",
                () -> downstreams.appended.stream().filter(a -> a.contains("\"100+")).count() == 11);
        assertTrue(downstreams.appendRequests.get() - requestsBefore <= 3,
                (downstreams.appendRequests.get() - requestsBefore) + " requests for 11 calculations");
    }

    @Test
    void anAuditserviceWithoutTheBatchRouteGetsOneAppendEach() {
        downstreams.batchRoute = false;

        assertEquals(200, http.postForm("/add/calculate", "first=31&second=11").status());

        Poller.within(Duration.ofSeconds(5)).until("the single append",
                () -> downstreams.appended.contains("{\"calc\":\"31+11\",\"calcResult\":42}"));
    }

    @Test
    void badOperandsReRenderTheFormWithAMessage() {
        Http.Response page = http.postForm("/add/calculate", "first=two&second=%3Cb%3E");

        assertEquals(400, page.status());
        Document html = Jsoup.parse(page.body());
        assertEquals("Please enter two whole numbers.", html.selectFirst("main p.problem").text(), page::toString);
        assertEquals("two", html.selectFirst("input#first").val(), page::toString);
        assertEquals("<b>", html.selectFirst("input#second").val(), "what was typed comes back escaped");
        assertFalse(page.body().contains("<b>"), "what was typed comes back escaped");
        assertEquals("result = 0", result(page.body()), page::toString);
    }

    @Test
    void typedMarkupAndQuotesComeBackAsText() {
        String hostile = "\"><script>alert('x')</script>";
        String typed = URLEncoder.encode(hostile, StandardCharsets.UTF_8);

        Http.Response page = http.postForm("/add/calculate", "first=" + typed + "&second=" + typed);

        assertEquals(400, page.status());
        Document html = Jsoup.parse(page.body());
        assertTrue(html.select("script").isEmpty(), page::toString);
        assertEquals(hostile, html.selectFirst("input#first").val(), page::toString);
        assertEquals(hostile, html.selectFirst("input#second").val(), page::toString);
    }

    @Test
    void anOverflowIsExplained() {
        Http.Response page = http.postForm("/add/calculate", "first=9223372036854775807&second=1");

        assertEquals(400, page.status());
        assertEquals("Those numbers cannot be added: the sum is too large.",
                Jsoup.parse(page.body()).selectFirst("main p.problem").text(), page::toString);
    }

    @Test
    void aDownAdderIsAQuick503Page() {
        downstreams.adder.stop();

        long started = System.nanoTime();
        Http.Response page = http.postForm("/add/calculate", "first=2&second=3");
        long millis = (System.nanoTime() - started) / 1_000_000;

        assertEquals(503, page.status());
        Document html = Jsoup.parse(page.body());
        assertEquals("Unavailable", html.selectFirst("main h1").text(), page::toString);
        assertEquals("The adder is unavailable right now. Please try again shortly.",
                html.selectFirst("main p.problem").text(), page::toString);
        assertEquals("/", html.selectFirst("main a").attr("href"), page::toString);
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
        assertEquals("result = 8", result(page.body()), page::toString);
        assertEquals(503, http.get("/audit").status());
        downstreams.audit.start();
        Poller.within(Duration.ofSeconds(10)).until("the calculation audited once auditservice is back",
                () -> downstreams.appended.contains("{\"calc\":\"4+4\",\"calcResult\":8}"));
    }

    @Test
    void aBatchThatFailsIsPostedAgainNotLost() {
        downstreams.batchFailures.set(2);

        assertEquals(200, http.postForm("/add/calculate", "first=77&second=1").status());

        Poller.within(Duration.ofSeconds(10)).until("the calculation appended after two 503s",
                () -> downstreams.appended.contains("{\"calc\":\"77+1\",\"calcResult\":78}"));
        assertEquals(0, downstreams.batchFailures.get(), "both failures were met");
        assertEquals(1, downstreams.appended.stream().filter(a -> a.contains("\"77+1\"")).count(), "appended once");
    }

    @Test
    void anEmptyAuditTrailIsAPageSayingSo() {
        downstreams.appended.clear();
        Http.Response page = http.get("/audit");

        assertEquals(200, page.status(), page::toString);
        Document html = Jsoup.parse(page.body());
        assertEquals("No calculations yet.", html.selectFirst("main p.empty").text(), page::toString);
        assertTrue(html.select("ul.audit li").isEmpty(), page::toString);
    }

    @Test
    void theAuditPageListsCalculations() {
        http.postForm("/add/calculate", "first=20&second=22");
        Poller.within(Duration.ofSeconds(5)).until("the audit append",
                () -> downstreams.appended.stream().anyMatch(a -> a.contains("20+22")));

        Http.Response page = http.get("/audit");

        assertEquals(200, page.status());
        Document html = Jsoup.parse(page.body());
        assertEquals("Calculation History", html.selectFirst("main h1").text(), page::toString);
        Element line = html.select("ul.audit > li").stream()
                .filter(li -> li.selectFirst("span.calc").text().equals("20+22 = 42")).findFirst().orElseThrow();
        assertEquals("2026-11-23 10:00:00 UTC", line.selectFirst("time").text(), page::toString);
        assertEquals("2026-11-23 10:00:00 UTC 20+22 = 42", line.text(), page::toString);
        assertTrue(html.select("main p.empty").isEmpty(), page::toString);
    }

    @Test
    void theAuditTrailsTextIsEscaped() {
        String hostile = "<script>alert('calc')</script>";
        downstreams.appended.add("{\"calc\":\"" + hostile + "\",\"calcResult\":1}");

        Http.Response page = http.get("/audit");

        assertEquals(200, page.status(), page::toString);
        Document html = Jsoup.parse(page.body());
        assertTrue(html.select("script").isEmpty(), page::toString);
        assertTrue(html.select("ul.audit span.calc").eachText().contains(hostile + " = 1"), page::toString);
    }

    @Test
    void theReportDrawsOneEscapedBarPerUrl() {
        Http.Response page = http.get("/report");

        assertEquals(200, page.status());
        Document html = Jsoup.parse(page.body());
        Element chart = html.selectFirst("main > svg.chart");
        assertEquals("page views per URL", chart.attr("aria-label"), page::toString);
        assertEquals("0 0 640 122", chart.attr("viewBox"), page::toString);
        assertEquals(List.of("/add", "/", "/<b>", FakeDownstreams.HOSTILE_URL), chart.select("g.bar").eachAttr("data-url"),
                page::toString);
        Element add = chart.selectFirst("g.bar[data-url=/add]");
        assertEquals("/add", add.child(0).text(), page::toString);
        assertEquals("0", add.child(0).attr("x"), page::toString);
        assertEquals("22", add.child(0).attr("y"), page::toString);
        Element bar = add.selectFirst("rect");
        assertEquals(List.of("180", "5", "400", "22"), List.of(bar.attr("x"), bar.attr("y"), bar.attr("width"), bar.attr("height")),
                page::toString);
        assertEquals("3", add.child(2).text(), page::toString);
        assertEquals("586", add.child(2).attr("x"), page::toString);
        Element other = chart.selectFirst("g.bar[data-url=/]");
        assertEquals(List.of("33", "133"), List.of(other.selectFirst("rect").attr("y"), other.selectFirst("rect").attr("width")),
                page::toString);
        assertEquals("/<b>", chart.select("g.bar").get(2).attr("data-url"), page::toString);
        assertEquals("/<b>", chart.select("g.bar").get(2).child(0).text(), page::toString);
        assertFalse(page.body().contains("<b>"), page::toString);
        assertTrue(html.select("script, b").isEmpty(), page::toString);
        assertEquals(FakeDownstreams.HOSTILE_URL, chart.select("g.bar").get(3).child(0).text(), page::toString);
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

    /** The appender's thread is waiting for auditservice's answer (its post is in flight). */
    private static boolean appenderThreadIsPosting() {
        return Thread.getAllStackTraces().entrySet().stream()
                .filter(thread -> thread.getKey().getName().equals("audit-appender"))
                .anyMatch(thread -> java.util.Arrays.stream(thread.getValue())
                        .anyMatch(frame -> frame.getMethodName().equals("appendAll")));
    }

    private static String result(String page) {
        return Jsoup.parse(page).selectFirst("main p.result").text();
    }
}
