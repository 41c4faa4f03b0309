package io.microcanary.systemtests;

import io.microcanary.testsupport.http.Http;
import io.microcanary.testsupport.http.Problems;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Generated bad input against every endpoint of every service, running as users run them: paths with hostile
 * segments, every method, odd Accept and Content-Type headers, malformed and oversized bodies. No request may get a
 * 5xx, every error must be problem+json (or an HTML page where a browser asked for one), no body may carry an
 * exception or a stack trace, and what was stored before is intact afterwards. All requests share one pooled
 * client, as a real client would, so a server that closes a connection without saying so fails here too.
 */
class BadInputFuzzIT {

    private static final int REQUESTS = 600;
    private static final Map<String, List<String>> ENDPOINTS = Map.of(
            "addressbook", List.of("/person", "/person/{}", "/all", "/ready", "/{}", "/person/{}/{}"),
            "sava-product", List.of("/products", "/products/{}", "/products/{}/{}", "/products/ie?q={}&_sort={}&_order={}",
                    "/products?_page={}&_limit={}", "/images/{}", "/{}"),
            "sava-cart-ie", List.of("/", "/add/{}", "/remove/{}", "/cart", "/checkout", "/{}"),
            "adderservice", List.of("/add/{}/{}", "/add/{}", "/{}"),
            "auditservice", List.of("/append", "/list", "/list?limit={}", "/{}"),
            "eventservice", List.of("/summary", "/summary?{}={}", "/{}"),
            "webapp", List.of("/", "/add", "/add/calculate", "/audit", "/report", "/{}"));
    private static final List<String> METHODS = List.of("GET", "POST", "PUT", "DELETE", "PATCH");
    private static final List<String> ACCEPTS = List.of("", "*/*", "application/json", "text/html",
            "application/vnd.sava.v9+json", "application/vnd.sava.v1+json;q=0.1, text/html", "%%garbage");
    private static final List<String> CONTENT_TYPES = List.of("", "application/json",
            "application/x-www-form-urlencoded", "text/plain", "x/y; charset=nope");
    /** Strings that have broken services: injections, markup, unicode, control characters, huge numbers. */
    private static final List<String> HOSTILE = List.of("' OR '1'='1", "1; DROP TABLE people;--",
            "<script>alert(1)</script>", "../../etc/passwd", "%00", "ñandú 🙂 ☃", "\u202e", "99999999999999999999999",
            "-9223372036854775809", "1e400", "NaN", "null", "{}", "[]", "", " ", "true", "0x1F", "ie", "IE", "en");
    private static final List<String> MALFORMED_BODIES = List.of("", "{", "[", "{\"firstName\":", "null",
            "\"just a string\"", "{\"calc\":{}}", "{\"firstName\":\"<b>x</b>\",\"lastName\":\"' OR 1=1 --\"}",
            "first=&second=", "a=%%%");

    private static LocalSystem system;

    @BeforeAll
    static void startTheSystem() throws Exception {
        system = new LocalSystem(List.of());
        Http addressbook = Http.at(system.url("addressbook"));
        assertEquals(200, addressbook.putJson("/person", "{\"firstName\":\"al\",\"lastName\":\"pacino\"}").status());
    }

    @AfterAll
    static void stopTheSystem() throws Exception {
        if (system != null) {
            system.close();
        }
    }

    @Test
    void noBadRequestGetsA5xxALeakOrAnUnstructuredError() {
        RandomInput random = RandomInput.fromSystemProperty("fuzz.seed");
        System.err.println("fuzzing " + REQUESTS + " requests from " + random);
        for (int i = 0; i < REQUESTS; i++) {
            BadRequest request = badRequest(random);
            Http.Response response;
            try {
                response = Http.at(system.url(request.service())).send(request.method(), request.path(),
                        request.contentType().isEmpty() ? null : request.contentType(), request.body(), request.headers());
            } catch (RuntimeException e) {
                throw new AssertionError("request " + i + " of " + random + " got no answer: " + request, e);
            }
            String described = "request " + i + " of " + random + ": " + request + " -> " + response.status() + " "
                    + response.contentType() + " " + abbreviate(response.body());
            assertTrue(response.status() < 500, "no 5xx: " + described);
            assertFalse(Problems.leaks(response.body()), "no exception text or stack trace: " + described);
            if (response.status() >= 400 && !(response.status() == 405 && response.body().isEmpty())) {
                boolean problem = response.contentType().startsWith("application/problem+json");
                boolean page = response.contentType().startsWith("text/html") && request.acceptsHtml();
                assertTrue(problem || page, "errors are problem+json (or a page for a browser): " + described);
            }
        }
        String all = Http.at(system.url("addressbook")).get("/all").body();
        assertTrue(all.contains("\"firstName\":\"al\",\"lastName\":\"pacino\""), "stored data intact: " + all);
    }

    private static BadRequest badRequest(RandomInput random) {
        String service = random.pick(List.copyOf(ENDPOINTS.keySet()));
        String path = fill(random.pick(ENDPOINTS.get(service)), random);
        return new BadRequest(service, random.pick(METHODS), path, random.pick(ACCEPTS), random.pick(CONTENT_TYPES),
                body(random));
    }

    private static String hostile(RandomInput random) {
        return switch (random.below(3)) {
            case 0 -> random.pick(HOSTILE);
            case 1 -> random.anyString(40);
            default -> random.letters(2000 + random.below(3001));
        };
    }

    private static String body(RandomInput random) {
        return switch (random.below(4)) {
            case 0 -> random.pick(MALFORMED_BODIES);
            case 1 -> {
                String value = jsonEscape(hostile(random));
                yield "{\"firstName\":\"" + value + "\",\"lastName\":\"x\",\"calc\":\"" + value + "\"}";
            }
            case 2 -> {
                String value = encode(hostile(random));
                yield "first=" + value + "&second=" + value + "&name=" + value + "&email=" + value + "&address=" + value;
            }
            default -> "{\"firstName\":\"" + random.letters(200_000) + "\"}";
        };
    }

    private static String fill(String template, RandomInput random) {
        String path = template;
        while (path.contains("{}")) {
            path = path.replaceFirst("\\{}", Matcher.quoteReplacement(encode(hostile(random))));
        }
        return path;
    }

    private static String jsonEscape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String abbreviate(String body) {
        return body.length() > 300 ? body.substring(0, 300) + "…" : body;
    }

    record BadRequest(String service, String method, String path, String accept, String contentType, String body) {

        String[] headers() {
            return accept.isEmpty() ? new String[0] : new String[] {"Accept", accept};
        }

        boolean acceptsHtml() {
            return accept.isEmpty() || accept.contains("text/html") || accept.contains("*/*");
        }

        @Override
        public String toString() {
            return method + " " + service + abbreviate(path) + " Accept=" + accept + " Content-Type=" + contentType
                    + " body=" + abbreviate(body);
        }
    }
}
