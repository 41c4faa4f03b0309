package io.microcanary.deployer.rollout;

import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Pod;
import io.microcanary.deployer.cluster.Cluster;
import io.microcanary.deployer.cluster.Pods;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Why a Deployment's rollout will not finish, looked for while it is awaited: a hopeless pod ({@link PodTrouble}), or
 * one that runs but has stayed unready past the readiness deadline; told with the log lines that explain it.
 */
public final class PodDiagnosis {

    private static final int LOG_LINES = 10;

    private final Cluster cluster;
    private final Ticker ticker;
    private final Duration readinessDeadline;

    public PodDiagnosis(Cluster cluster, Ticker ticker, Duration readinessDeadline) {
        this.cluster = cluster;
        this.ticker = ticker;
        this.readinessDeadline = readinessDeadline;
    }

    /** What is wrong with a pod of {@code deployment}, with its last log lines; empty while waiting may still help. */
    public Optional<String> find(V1Deployment deployment) {
        String selector = deployment.getSpec().getSelector().getMatchLabels().entrySet().stream()
                .map(label -> label.getKey() + "=" + label.getValue()).sorted()
                .reduce((a, b) -> a + "," + b).orElseThrow();
        List<V1Pod> pods = cluster.pods(selector);
        Optional<PodTrouble.Problem> problem = PodTrouble.find(pods);
        if (problem.isEmpty()) {
            problem = unreadyPastDeadline(pods);
        }
        return problem.map(p -> p.description() + lastLogLines(p));
    }

    private Optional<PodTrouble.Problem> unreadyPastDeadline(List<V1Pod> pods) {
        Instant limit = ticker.now().minus(readinessDeadline);
        return pods.stream()
                .filter(pod -> pod.getStatus() != null && "Running".equals(pod.getStatus().getPhase()))
                .filter(pod -> !Pods.isReady(pod) && pod.getStatus().getStartTime() != null
                        && pod.getStatus().getStartTime().toInstant().isBefore(limit))
                .findFirst()
                .map(pod -> new PodTrouble.Problem(pod.getMetadata().getName(), Pods.APP_CONTAINER, "NotReady",
                        "pod " + pod.getMetadata().getName() + " is running but has failed its readiness probe for over "
                                + readinessDeadline.toSeconds() + "s"));
    }

    /** The log lines that explain the failure: a stack trace's frames are left out, its cause kept. */
    private String lastLogLines(PodTrouble.Problem problem) {
        if (problem.container() == null) {
            return "";
        }
        List<String> lines = LogExcerpt.explaining(cluster.logTail(problem.pod(), problem.container(), 200), LOG_LINES);
        return lines.isEmpty() ? "" : "\nlast log lines of " + problem.pod() + ":\n  " + String.join("\n  ", lines);
    }
}
