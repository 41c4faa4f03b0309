package io.microcanary.testsupport.http;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Assertions on the requests a service's HTTP server has counted, as its {@code /prometheus} shows them. */
public final class ServedRequests {

    private ServedRequests() {
    }

    /** Asserts the server behind {@code http} has counted no request but its own scrapes of {@code /prometheus}. */
    public static void assertNoneCounted(Http http) {
        String metrics = http.get("/prometheus").body();
        assertEquals(List.of(), countedBesidesScrapes(metrics), metrics);
    }

    /** The request counts but the scrapes' own (a scrape is counted once it is answered). */
    private static List<String> countedBesidesScrapes(String metrics) {
        return metrics.lines().filter(line -> line.startsWith("http_server_requests_seconds_count{"))
                .filter(line -> !line.contains("uri=\"/prometheus\"")).toList();
    }
}
