package io.microcanary.deployer.analysis;

import java.util.Locale;

/** Prometheus text as a Micronaut service writes it, for a number of good and failed requests of one latency. */
public final class MetricsText {

    private static final double[] BOUNDS = {0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5};

    private MetricsText() {
    }

    public static String of(long ok, long serverErrors, double latencySeconds) {
        StringBuilder text = new StringBuilder("# TYPE http_server_requests_seconds histogram\n");
        series(text, "200", "none", ok, latencySeconds);
        series(text, "500", "IllegalStateException", serverErrors, latencySeconds);
        text.append("http_server_requests_seconds_count{exception=\"none\",method=\"GET\",status=\"200\","
                + "uri=\"/health/{selector}\"} 1000\n");
        return text.toString();
    }

    private static void series(StringBuilder text, String status, String exception, long count, double latency) {
        String labels = "exception=\"" + exception + "\",method=\"GET\",status=\"" + status + "\",uri=\"/products/{locale}\"";
        for (double bound : BOUNDS) {
            text.append(String.format(Locale.ROOT, "http_server_requests_seconds_bucket{%s,le=\"%s\"} %d%n", labels,
                    bound, latency <= bound ? count : 0));
        }
        text.append(String.format(Locale.ROOT, "http_server_requests_seconds_bucket{%s,le=\"+Inf\"} %d%n", labels, count));
        text.append(String.format(Locale.ROOT, "http_server_requests_seconds_count{%s} %d%n", labels, count));
        text.append(String.format(Locale.ROOT, "http_server_requests_seconds_sum{%s} %f%n", labels, count * latency));
    }
}
