package io.microcanary.testsupport.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * A plain HTTP client for tests: it never throws on 4xx/5xx (the status is what tests assert), never follows
 * redirects, and gives every request a timeout so no test can hang on a server.
 */
public final class Http {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    private final String baseUrl;
    private final Duration timeout;

    private Http(String baseUrl, Duration timeout) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.timeout = timeout;
    }

    public static Http at(String baseUrl) {
        return new Http(baseUrl, Duration.ofSeconds(10));
    }

    public static Http at(URI baseUri) {
        return at(baseUri.toString());
    }

    public Http withTimeout(Duration newTimeout) {
        return new Http(baseUrl, newTimeout);
    }

    public Response get(String path, String... headers) {
        return send("GET", path, null, null, headers);
    }

    public Response delete(String path, String... headers) {
        return send("DELETE", path, null, null, headers);
    }

    public Response putForm(String path, String form) {
        return send("PUT", path, "application/x-www-form-urlencoded", form);
    }

    public Response putJson(String path, String json) {
        return send("PUT", path, "application/json", json);
    }

    public Response postForm(String path, String form) {
        return send("POST", path, "application/x-www-form-urlencoded", form);
    }

    public Response postJson(String path, String json) {
        return send("POST", path, "application/json", json);
    }

    /** Whether {@code path} answers 200 now; a server that does not answer (yet) is a no, not a failure. */
    public boolean answersOk(String path) {
        try {
            return get(path).status() == 200;
        } catch (UncheckedIOException notAnswering) {
            return false;
        }
    }

    /** Sends any request; {@code headers} are name/value pairs. */
    public Response send(String method, String path, String contentType, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(timeout)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.headers(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + baseUrl + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** What came back; {@link #toString()} shows the whole response so assertion messages say what was got. */
    public record Response(int status, java.net.http.HttpHeaders headers, String body) {

        public Optional<String> header(String name) {
            return headers.firstValue(name);
        }

        public String contentType() {
            return header("Content-Type").orElse("");
        }

        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (JsonProcessingException e) {
                throw new AssertionError("body is not JSON: " + this, e);
            }
        }

        @Override
        public String toString() {
            return status + " " + contentType() + " " + body;
        }
    }
}
