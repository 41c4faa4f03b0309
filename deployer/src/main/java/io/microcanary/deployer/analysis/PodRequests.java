package io.microcanary.deployer.analysis;

import io.kubernetes.client.openapi.models.V1Pod;
import io.microcanary.deployer.cluster.Cluster;
import io.microcanary.deployer.cluster.Pods;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The requests each ready pod of a track had served when scraped, by pod name: read from the pod's own
 * {@code /prometheus} through the API server's pod proxy, so no Prometheus server is needed.
 */
record PodRequests(Map<String, RequestStats> byPod) {

    static PodRequests scrape(Cluster cluster, String selector) {
        Map<String, RequestStats> byPod = new TreeMap<>();
        for (V1Pod pod : cluster.pods(selector)) {
            if (Pods.isReady(pod)) {
                String text = cluster.proxyGet(pod.getMetadata().getName(), Pods.appPort(pod), "/prometheus");
                byPod.put(pod.getMetadata().getName(), RequestStats.parse(text));
            }
        }
        return new PodRequests(byPod);
    }

    /** Requests between an earlier scrape and this one, per pod seen in this one (a pod that appeared counts from zero). */
    PodRequests since(PodRequests earlier) {
        Map<String, RequestStats> delta = new TreeMap<>();
        byPod.forEach((pod, stats) -> delta.put(pod, stats.since(earlier.byPod.getOrDefault(pod, RequestStats.empty()))));
        return new PodRequests(delta);
    }

    RequestStats total() {
        return byPod.values().stream().reduce(RequestStats.empty(), RequestStats::plus);
    }

    int pods() {
        return byPod.size();
    }

    /** One line per pod: a canary that got no requests shows here, not only as "inconclusive". */
    String lines(String track) {
        StringBuilder lines = new StringBuilder();
        byPod.forEach((pod, stats) -> lines.append(String.format(Locale.ROOT,
                "  %-7s %-44s %8.0f requests %6.2f%% errors%n", track, pod, stats.requests(), stats.errorRate() * 100)));
        return lines.toString();
    }
}
