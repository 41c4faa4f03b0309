package io.microcanary.webapp;

import com.sun.net.httpserver.HttpExchange;
import io.microcanary.testsupport.http.FakeHttpService;
import io.microcanary.testsupport.http.FakeHttpService.Reply;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** adderservice, auditservice and eventservice as the front end sees them, each on its own socket. */
final class FakeDownstreams implements AutoCloseable {

    /** A URL eventservice counted that is markup: the report must show it as text. */
    static final String HOSTILE_URL = "/\"><script>alert('url')</script>";

    final FakeHttpService adder = new FakeHttpService("/add/", FakeDownstreams::add);
    final FakeHttpService audit = new FakeHttpService("/", this::audit);
    final FakeHttpService events = new FakeHttpService("/summary",
            exchange -> Reply.json(200, "{\"/add\":3,\"/\":1,\"/<b>\":1,\"" + HOSTILE_URL.replace("\"", "\\\"") + "\":1}"));
    final List<String> appended = new CopyOnWriteArrayList<>();
    /** Requests that appended, single or batch. */
    final AtomicInteger appendRequests = new AtomicInteger();
    /** false: an auditservice from before {@code POST /append/batch}, which answers it 404. */
    volatile boolean batchRoute = true;
    /** How many of the next batch appends fail with a 503, as an auditservice that lost its database answers. */
    final AtomicInteger batchFailures = new AtomicInteger();

    /** The webapp's settings for these downstreams and the Redis at {@code redisUrl}; a map the test may add to. */
    Map<String, String> properties(String redisUrl) {
        return new java.util.HashMap<>(Map.of("micronaut.http.services.adderservice.url", adder.url(),
                "micronaut.http.services.auditservice.url", audit.url(),
                "micronaut.http.services.eventservice.url", events.url(),
                "redis.uri", redisUrl));
    }

    private static Reply add(HttpExchange exchange) {
        String[] parts = exchange.getRequestURI().getPath().split("/");
        try {
            return Reply.json(200, "{\"result\":" + Math.addExact(Long.parseLong(parts[2]), Long.parseLong(parts[3])) + "}");
        } catch (ArithmeticException | NumberFormatException e) {
            return Reply.json(400, "{\"status\":400}");
        }
    }

    /** Remembers appends and lists them back newest first, as auditservice does. */
    private Reply audit(HttpExchange exchange) throws IOException {
        if (exchange.getRequestMethod().equals("POST")) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if (!exchange.getRequestURI().getPath().equals("/append/batch")) {
                appendRequests.incrementAndGet();
                appended.add(body);
                return Reply.json(201, "{}");
            }
            if (!batchRoute) {
                return Reply.json(404, "{\"status\":404}");
            }
            if (batchFailures.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
                return Reply.json(503, "{\"status\":503}");
            }
            appendRequests.incrementAndGet();
            Matcher entry = Pattern.compile("\\{[^}]*}").matcher(body);
            while (entry.find()) {
                appended.add(entry.group());
            }
            return Reply.json(201, "{}");
        }
        if (appended.isEmpty()) {
            return Reply.json(200, "{}"); // as an older auditservice answered an empty trail
        }
        List<String> entries = new ArrayList<>();
        for (int i = appended.size() - 1; i >= 0; i--) {
            String body = appended.get(i);
            String calc = body.replaceAll(".*\"calc\":\"([^\"]*)\".*", "$1");
            String result = body.replaceAll(".*\"calcResult\":(-?\\d+).*", "$1");
            entries.add("{\"ts\":\"2026-11-23T10:00:00Z\",\"calc\":\"" + calc + "\",\"result\":" + result + "}");
        }
        return Reply.json(200, "{\"list\":[" + String.join(",", entries) + "]}");
    }

    @Override
    public void close() {
        adder.close();
        audit.close();
        events.close();
    }
}
