package io.microcanary.support.metrics;

import io.microcanary.testsupport.http.Http;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LatencyHistogramTest {

    /** One request's series: the bucket bounds in seconds, in the order /prometheus lists them. */
    private static final Pattern LIVENESS_BUCKET = Pattern.compile(
            "http_server_requests_seconds_bucket\\{.*uri=\"/health/\\{selector}\",le=\"([^\"]+)\"} .*");

    /**
     * Micrometer's percentile-histogram buckets from 1 ms to 10 s: the canary harness computes a pod's p99 from
     * them (deployer's analysis), so a change here changes what a canary is judged by.
     */
    private static final List<String> BUCKETS = List.of("0.001", "0.001048576", "0.001398101", "0.001747626",
            "0.002097151", "0.002446676", "0.002796201", "0.003145726", "0.003495251", "0.003844776", "0.004194304",
            "0.005592405", "0.006990506", "0.008388607", "0.009786708", "0.011184809", "0.01258291", "0.013981011",
            "0.015379112", "0.016777216", "0.022369621", "0.027962026", "0.033554431", "0.039146836", "0.044739241",
            "0.050331646", "0.055924051", "0.061516456", "0.067108864", "0.089478485", "0.111848106", "0.134217727",
            "0.156587348", "0.178956969", "0.20132659", "0.223696211", "0.246065832", "0.268435456", "0.357913941",
            "0.447392426", "0.536870911", "0.626349396", "0.715827881", "0.805306366", "0.894784851", "0.984263336",
            "1.073741824", "1.431655765", "1.789569706", "2.147483647", "2.505397588", "2.863311529", "3.22122547",
            "3.579139411", "3.937053352", "4.294967296", "5.726623061", "7.158278826", "8.589934591", "10.0", "+Inf");

    @Test
    void serverLatencyIsPublishedInBucketsFromOneMillisecondToTenSeconds() {
        try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class)) {
            Http http = Http.at(server.getURI());
            http.get("/health/liveness");

            String metrics = http.get("/prometheus").body();

            List<String> bounds = metrics.lines().map(LIVENESS_BUCKET::matcher).filter(Matcher::matches)
                    .map(bucket -> bucket.group(1)).toList();
            assertEquals(BUCKETS, bounds, metrics);
        }
    }
}
