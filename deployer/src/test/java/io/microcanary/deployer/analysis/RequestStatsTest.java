package io.microcanary.deployer.analysis;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RequestStatsTest {

    @Test
    void readsWhatAMicronautServiceExposesLeavingOutProbes() throws IOException {
        // scraped from adderservice after 3 good additions, 1 bad one (400) and 1 readiness probe
        String text;
        try (var in = Objects.requireNonNull(getClass().getResourceAsStream("/adderservice-prometheus.txt"))) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        RequestStats stats = RequestStats.parse(text);

        assertEquals(4, stats.requests(), "3 answers 200 and one 400; the probe is not traffic");
        assertEquals(0, stats.errors(), "a 400 is the caller's mistake, not the service's");
        assertEquals(4, stats.buckets().get(Double.POSITIVE_INFINITY));
        assertTrue(stats.p99Millis() > 22.3 && stats.p99Millis() <= 27.97, "the slowest request fell in (22.4ms, 28.0ms]: "
                + stats.p99Millis());
    }

    @Test
    void countsFiveHundredsAsErrors() {
        RequestStats stats = RequestStats.parse(MetricsText.of(90, 10, 0.004));
        assertEquals(100, stats.requests());
        assertEquals(0.10, stats.errorRate(), 1e-9);
    }

    @Test
    void p99InterpolatesInsideTheBucketLikeHistogramQuantile() {
        String text = """
                http_server_requests_seconds_bucket{status="200",uri="/a",le="0.1"} 50
                http_server_requests_seconds_bucket{status="200",uri="/a",le="0.2"} 100
                http_server_requests_seconds_bucket{status="200",uri="/a",le="+Inf"} 100
                http_server_requests_seconds_count{status="200",uri="/a"} 100
                """;
        // rank 99 of 100 lies 49/50 of the way through (0.1, 0.2]
        assertEquals(198.0, RequestStats.parse(text).p99Millis(), 1e-6);
    }

    @Test
    void aP99BeyondTheLastBoundIsReportedAsThatBoundNotAsZero() {
        String text = """
                http_server_requests_seconds_bucket{status="200",uri="/a",le="0.5"} 10
                http_server_requests_seconds_bucket{status="200",uri="/a",le="+Inf"} 100
                """;
        assertEquals(500.0, RequestStats.parse(text).p99Millis(), 1e-6);
    }

    @Test
    void withoutRequestsThereIsNoP99() {
        assertTrue(Double.isNaN(RequestStats.empty().p99Millis()));
        assertTrue(Double.isNaN(RequestStats.parse("# nothing yet\n").p99Millis()));
    }

    @Test
    void theWindowIsTheDifferenceOfTwoScrapes() {
        RequestStats before = RequestStats.parse(MetricsText.of(100, 0, 0.004));
        RequestStats after = RequestStats.parse(MetricsText.of(150, 50, 0.004));
        RequestStats window = after.since(before);
        assertEquals(100, window.requests());
        assertEquals(0.5, window.errorRate(), 1e-9);
    }

    @Test
    void aRestartedPodCountsFromZero() {
        RequestStats before = RequestStats.parse(MetricsText.of(1000, 0, 0.004));
        RequestStats afterRestart = RequestStats.parse(MetricsText.of(20, 5, 0.004));
        assertEquals(25, afterRestart.since(before).requests());
    }

    @Test
    void unreadableLinesAreSkippedNotFatal() {
        String text = """
                http_server_requests_seconds_count{status="200",uri="/a" 5
                http_server_requests_seconds_count{status="500",uri="/a"} not-a-number
                http_server_requests_seconds_count{status="200",uri="/a\\"b"} 7
                """;
        assertEquals(7, RequestStats.parse(text).requests());
    }
}
