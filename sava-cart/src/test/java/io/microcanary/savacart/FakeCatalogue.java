package io.microcanary.savacart;

import com.sun.net.httpserver.HttpExchange;
import io.microcanary.testsupport.http.FakeHttpService;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The catalogue, switchable between answering v1, answering v2 (with extra fields), answering a product whose text
 * is markup, erroring, slow, and down.
 */
final class FakeCatalogue implements AutoCloseable {

    enum Mode { V1, V2, HOSTILE, ERROR, SLOW }

    static final String IE_V1 = """
            [{"id":3,"title":"Dreamcatcher","description":"Catches dreams.","price":25,"locale":"ie"},
             {"id":6,"title":"Enamel Pin Meggings","description":"<script>alert('x')</script>","price":35,"locale":"ie"},
             {"id":7,"title":"Tote Bag","description":"Organic canvas.","price":129,"locale":"ie"}]""";

    static final String IE_V2 = """
            [{"id":3,"title":"Dreamcatcher","description":"Catches dreams.","price":{"amount":25,"currency":"EUR"},
              "locale":"ie","img":"/images/3.svg","rating":4.5},
             {"id":6,"title":"Enamel Pin Meggings","description":"<script>alert('x')</script>",
              "price":{"amount":35,"currency":"EUR"},"locale":"ie","img":"/images/6.svg","tags":["pins"]},
             {"id":7,"title":"Tote Bag","description":"Organic canvas.","price":{"amount":129,"currency":"EUR"},
              "locale":"ie","img":"/images/7.svg"}]""";

    static final long HOSTILE_ID = 9;
    static final String HOSTILE_TITLE = "\"><script>alert('title')</script>";
    static final String HOSTILE = "[{\"id\":" + HOSTILE_ID + ",\"title\":\"" + HOSTILE_TITLE.replace("\"", "\\\"")
            + "\",\"description\":\"<b onmouseover='steal()'>bold</b>\",\"price\":1,\"locale\":\"ie\"}]";

    private final AtomicReference<Mode> mode = new AtomicReference<>(Mode.V1);
    private final List<String> acceptHeaders = new CopyOnWriteArrayList<>();
    private final FakeHttpService service = new FakeHttpService("/products/", this::answer);

    String url() {
        return service.url();
    }

    void answer(Mode newMode) {
        mode.set(newMode);
        service.delay(newMode == Mode.SLOW ? Duration.ofSeconds(3) : Duration.ZERO);
    }

    List<String> acceptHeaders() {
        return acceptHeaders;
    }

    void start() {
        service.start();
    }

    void stop() {
        service.stop();
    }

    private FakeHttpService.Reply answer(HttpExchange exchange) {
        acceptHeaders.add(exchange.getRequestHeaders().getFirst("Accept"));
        boolean ie = exchange.getRequestURI().getPath().equals("/products/ie");
        return switch (mode.get()) {
            case ERROR -> new FakeHttpService.Reply(500, "application/problem+json", "{\"status\":500}");
            case V1, SLOW -> new FakeHttpService.Reply(200, "application/vnd.sava.v1+json", ie ? IE_V1 : "[]");
            case V2 -> new FakeHttpService.Reply(200, "application/vnd.sava.v2+json", ie ? IE_V2 : "[]");
            case HOSTILE -> new FakeHttpService.Reply(200, "application/vnd.sava.v1+json", ie ? HOSTILE : "[]");
        };
    }

    @Override
    public void close() {
        service.close();
    }
}
