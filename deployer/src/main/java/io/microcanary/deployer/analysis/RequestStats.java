package io.microcanary.deployer.analysis;

import java.util.Map;
import java.util.TreeMap;

/**
 * Served requests of one pod or a group of pods, from Micrometer's {@code http_server_requests_seconds} series:
 * how many, how many answered 5xx, and the latency histogram as cumulative counts by upper bound in seconds.
 * Probe and metrics requests are not traffic and are left out.
 */
public record RequestStats(double requests, double errors, TreeMap<Double, Double> buckets) {

    private static final String METRIC = "http_server_requests_seconds";

    public static RequestStats empty() {
        return new RequestStats(0, 0, new TreeMap<>());
    }

    /** Reads the Prometheus text exposition format. */
    public static RequestStats parse(String prometheusText) {
        double requests = 0;
        double errors = 0;
        TreeMap<Double, Double> buckets = new TreeMap<>();
        for (String line : prometheusText.split("\n")) {
            PrometheusSample sample = PrometheusSample.parse(line);
            if (sample == null || !sample.name().startsWith(METRIC) || !isTraffic(sample.labels())) {
                continue;
            }
            if (sample.name().equals(METRIC + "_count")) {
                requests += sample.value();
                if (sample.labels().getOrDefault("status", "").startsWith("5")) {
                    errors += sample.value();
                }
            } else if (sample.name().equals(METRIC + "_bucket")) {
                buckets.merge(PrometheusSample.number(sample.labels().get("le")), sample.value(), Double::sum);
            }
        }
        return new RequestStats(requests, errors, buckets);
    }

    private static boolean isTraffic(Map<String, String> labels) {
        String uri = labels.getOrDefault("uri", "");
        return !uri.startsWith("/health") && !uri.equals("/prometheus");
    }

    public RequestStats plus(RequestStats other) {
        TreeMap<Double, Double> sum = new TreeMap<>(buckets);
        other.buckets.forEach((le, count) -> sum.merge(le, count, Double::sum));
        return new RequestStats(requests + other.requests, errors + other.errors, sum);
    }

    /** What happened between {@code before} and this scrape; a restarted pod (counter reset) counts from zero. */
    public RequestStats since(RequestStats before) {
        if (requests < before.requests) {
            return this;
        }
        TreeMap<Double, Double> delta = new TreeMap<>();
        buckets.forEach((le, count) -> delta.put(le, count - before.buckets.getOrDefault(le, 0.0)));
        return new RequestStats(requests - before.requests, errors - before.errors, delta);
    }

    public double errorRate() {
        return requests == 0 ? 0 : errors / requests;
    }

    /**
     * The 99th percentile in milliseconds, interpolated inside the bucket that holds it as Prometheus's
     * {@code histogram_quantile} does; {@code NaN} without requests; the largest finite bound when it falls in
     * the {@code +Inf} bucket (the true value is larger, so a threshold above that bound cannot pass it).
     */
    public double p99Millis() {
        return quantileMillis(0.99);
    }

    public double quantileMillis(double quantile) {
        Double total = buckets.get(Double.POSITIVE_INFINITY);
        if (total == null || total <= 0) {
            return Double.NaN;
        }
        double rank = quantile * total;
        double lowerBound = 0;
        double lowerCount = 0;
        for (var bucket : buckets.entrySet()) {
            if (bucket.getValue() >= rank) {
                if (bucket.getKey().isInfinite()) {
                    return lowerBound * 1000;
                }
                double inBucket = bucket.getValue() - lowerCount;
                double fraction = inBucket == 0 ? 1 : (rank - lowerCount) / inBucket;
                return (lowerBound + (bucket.getKey() - lowerBound) * fraction) * 1000;
            }
            lowerBound = bucket.getKey();
            lowerCount = bucket.getValue();
        }
        return Double.NaN;
    }
}
