package io.microcanary.systemtests;

import io.microcanary.testsupport.http.Http;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Generated bad input against every endpoint of every service, running as users run them: paths with hostile
 * segments, every method, odd Accept and Content-Type headers, malformed and oversized bodies. No request may get a
 * 5xx, every error must be problem+json (or an HTML page where a browser asked for one), no body may carry an
 * exception or a stack trace, and what was stored before is intact afterwards.
 */
class BadInputFuzzIT {

    private static final Pattern LEAK = Pattern.compile(
            "Exception|\\bat [a-z][\\w.$]+\\([\\w]+\\.java:\\d+\\)|java\\.lang\\.|io\\.micronaut\\.|org\\.postgresql|com\\.mongodb");

    private static final Map<String, List<String>> ENDPOINTS = Map.of(
            "addressbook", List.of("/person", "/person/{}", "/all", "/ready", "/{}", "/person/{}/{}"),
            "sava-product", List.of("/products", "/products/{}", "/products/{}/{}", "/products/ie?q={}&_sort={}&_order={}",
                    "/products?_page={}&_limit={}", "/images/{}", "/{}"),
            "sava-cart-ie", List.of("/", "/add/{}", "/remove/{}", "/cart", "/checkout", "/{}"),
            "adderservice", List.of("/add/{}/{}", "/add/{}", "/{}"),
            "auditservice", List.of("/append", "/list", "/list?limit={}", "/{}"),
            "eventservice", List.of("/summary", "/summary?{}={}", "/{}"),
            "webapp", List.of("/", "/add", "/add/calculate", "/audit", "/report", "/{}"));

    private static LocalSystem system;
    private static String keptPerson;

    @BeforeContainer
    static void startTheSystem() throws Exception {
        system = new LocalSystem(List.of());
        Http addressbook = Http.at(system.url("addressbook"));
        assertEquals(200, addressbook.putJson("/person", "{\"firstName\":\"al\",\"lastName\":\"pacino\"}").status());
        keptPerson = addressbook.get("/all").body();
    }

    @AfterContainer
    static void stopTheSystem() throws Exception {
        if (system != null) {
            Http addressbook = Http.at(system.url("addressbook"));
            String all = addressbook.get("/all").body();
            system.close();
            assertTrue(all.contains("\"firstName\":\"al\",\"lastName\":\"pacino\""), "stored data intact: " + all);
        }
    }

    @Property(tries = 600)
    void noBadRequestGetsA5xxALeakOrAnUnstructuredError(@ForAll("requests") BadRequest request) {
        Http.Response response = Http.at(system.url(request.service())).send(request.method(), request.path(),
                request.contentType().isEmpty() ? null : request.contentType(), request.body(), request.headers());

        String described = request + " -> " + response.status() + " " + response.contentType() + " "
                + abbreviate(response.body());
        assertTrue(response.status() < 500, "no 5xx: " + described);
        assertFalse(LEAK.matcher(response.body()).find(), "no exception text or stack trace: " + described);
        if (response.status() >= 400 && response.status() != 405 || response.status() == 405 && !response.body().isEmpty()) {
            boolean problem = response.contentType().startsWith("application/problem+json");
            boolean page = response.contentType().startsWith("text/html") && request.acceptsHtml();
            assertTrue(problem || page, "errors are problem+json (or a page for a browser): " + described);
        }
    }

    @Provide
    Arbitrary<BadRequest> requests() {
        Arbitrary<String> service = Arbitraries.of(ENDPOINTS.keySet());
        return service.flatMap(name -> Combinators.combine(
                Arbitraries.of(ENDPOINTS.get(name)), hostile().list().ofSize(3),
                Arbitraries.of("GET", "POST", "PUT", "DELETE", "PATCH"),
                Arbitraries.of("", "*/*", "application/json", "text/html", "application/vnd.sava.v9+json",
                        "application/vnd.sava.v1+json;q=0.1, text/html", "%%garbage"),
                Arbitraries.of("", "application/json", "application/x-www-form-urlencoded", "text/plain", "x/y; charset=nope"),
                bodies())
                .as((template, values, method, accept, contentType, body) -> new BadRequest(name, method,
                        fill(template, values), accept, contentType, body)));
    }

    /** Strings that have broken services: injections, markup, unicode, control characters, huge numbers. */
    private static Arbitrary<String> hostile() {
        return Arbitraries.oneOf(
                Arbitraries.of("' OR '1'='1", "1; DROP TABLE people;--", "<script>alert(1)</script>", "../../etc/passwd",
                        "%00", "ñandú 🙂 ☃", "\u202e", "99999999999999999999999", "-9223372036854775809", "1e400",
                        "NaN", "null", "{}", "[]", "", " ", "true", "0x1F", "ie", "IE", "en"),
                Arbitraries.strings().all().ofMaxLength(40),
                Arbitraries.strings().withCharRange('a', 'z').ofMinLength(2000).ofMaxLength(5000));
    }

    private static Arbitrary<String> bodies() {
        return Arbitraries.oneOf(
                Arbitraries.of("", "{", "[", "{\"firstName\":", "null", "\"just a string\"", "{\"calc\":{}}",
                        "{\"firstName\":\"<b>x</b>\",\"lastName\":\"' OR 1=1 --\"}", "first=&second=", "a=%%%"),
                hostile().map(value -> "{\"firstName\":\"" + value.replace("\\", "\\\\").replace("\"", "\\\"")
                        + "\",\"lastName\":\"x\",\"calc\":\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}"),
                hostile().map(value -> "first=" + encode(value) + "&second=" + encode(value) + "&name=" + encode(value)
                        + "&email=" + encode(value) + "&address=" + encode(value)),
                Arbitraries.strings().withCharRange('a', 'z').ofLength(200_000).map(s -> "{\"firstName\":\"" + s + "\"}"));
    }

    private static String fill(String template, List<String> values) {
        String path = template;
        for (String value : values) {
            path = path.replaceFirst("\\{}", java.util.regex.Matcher.quoteReplacement(encode(value)));
        }
        return path;
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
            return method + " " + service + path + " Accept=" + accept + " Content-Type=" + contentType + " body="
                    + abbreviate(body);
        }
    }
}
