package io.microcanary.deployer.release;

import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Pod;
import io.microcanary.deployer.analysis.Analysis;
import io.microcanary.deployer.analysis.RequestStats;
import io.microcanary.deployer.cluster.Cluster;
import io.microcanary.deployer.cluster.ClusterException;
import io.microcanary.deployer.rollout.PodTrouble;
import io.microcanary.deployer.rollout.RolloutStatus;
import io.microcanary.deployer.rollout.Waiter;

import java.io.PrintStream;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The canary flow of the tutorials, made safe to interrupt: a canary Deployment beside stable, stable scaled down
 * to keep the total, smoke checks, analysis, then promotion (stable rolled to the canary image, canary deleted) or
 * abort (canary deleted, stable back at full strength).
 */
public final class CanaryRelease {

    /** Deadlines of the waits. */
    public record Settings(Duration rolloutTimeout, Duration readinessDeadline) {
        public static Settings defaults() {
            return new Settings(Duration.ofMinutes(3), Duration.ofSeconds(90));
        }
    }

    /** An analysis to run: over which window, against which thresholds. */
    public record AnalysisRequest(Duration window, Analysis.Thresholds thresholds) {
    }

    private final Cluster cluster;
    private final Waiter waiter;
    private final Waiter.Ticker ticker;
    private final PrintStream out;
    private final Settings settings;
    private final SmokeChecks smokeChecks;

    public CanaryRelease(Cluster cluster, Waiter waiter, Waiter.Ticker ticker, PrintStream out, Settings settings) {
        this.cluster = cluster;
        this.waiter = waiter;
        this.ticker = ticker;
        this.out = out;
        this.settings = settings;
        this.smokeChecks = new SmokeChecks(cluster, out);
    }

    /** Applies the stable Deployment (from the rendered manifests) and waits for it to roll out. */
    public int deploy(V1Deployment stable, String image, Integer replicas) {
        String name = stable.getMetadata().getName();
        int desired = replicas != null ? replicas : Objects.requireNonNullElse(stable.getSpec().getReplicas(), 1);
        V1Deployment wanted = Tracks.withImage(stable, image != null ? image : Tracks.image(stable), desired);
        wanted.getMetadata().namespace(cluster.namespace());
        cluster.apply(wanted);
        out.printf("deployment %s applied: %s, %d replicas%n", name, Tracks.image(wanted), desired);
        awaitRollout(name, false);
        return ExitCode.OK;
    }

    /** Starts a canary of {@code image} beside stable; any failure aborts it, leaving stable as it was. */
    public int start(String service, String image, int canaryReplicas, Map<String, String> env,
                     AnalysisRequest auto) {
        V1Deployment stable = requireStable(service);
        Optional<V1Deployment> existing = cluster.deployment(Tracks.canaryName(service));
        if (existing.isPresent() && !image.equals(Tracks.image(existing.get()))) {
            throw new ReleaseFailed("a canary of " + service + " with " + Tracks.image(existing.get())
                    + " is already running: promote or abort it first");
        }
        int full = fullReplicas(stable);
        if (canaryReplicas < 1 || canaryReplicas > full) {
            throw new ReleaseFailed("--canary-replicas must be between 1 and stable's " + full + " replicas");
        }
        cluster.mergePatch(service, Map.of("metadata", Map.of("annotations",
                Map.of(Tracks.FULL_REPLICAS, String.valueOf(full)))));
        cluster.apply(Tracks.deriveCanary(stable, image, canaryReplicas, env));
        out.printf("canary %s applied: %s, %d of %d pods%n", Tracks.canaryName(service), image, canaryReplicas, full);
        try {
            awaitRollout(Tracks.canaryName(service), true);
            // keep the total, but never take stable's last pod: with one replica the canary runs beside it
            int stableDuring = Math.max(1, full - canaryReplicas);
            cluster.scale(service, stableDuring);
            out.printf("stable %s scaled to %d (%d pods in total while the canary runs)%n", service, stableDuring,
                    stableDuring + canaryReplicas);
            awaitRollout(service, false);
            smokeChecks.run(service, canaryPods(service)).ifPresent(failure -> {
                throw new ReleaseFailed(failure);
            });
        } catch (RuntimeException e) {
            // any failure on the way aborts (if the API server itself is failing, the abort says so in its turn)
            return abortBecause(service, e instanceof ReleaseFailed || e instanceof Waiter.WaitFailed
                    || e instanceof ClusterException ? e.getMessage() : e.toString());
        }
        int total = Math.max(1, full - canaryReplicas) + canaryReplicas;
        out.printf("canary of %s is live: %d of %d pods (%d%%) run %s%n", service, canaryReplicas, total,
                Math.round(100.0 * canaryReplicas / total), image);
        if (auto == null) {
            out.printf("next: canary analyze %s, then canary promote %s or canary abort %s%n", service, service, service);
            return ExitCode.OK;
        }
        return decide(service, analyzeNow(service, auto));
    }

    /** Moves traffic to the canary in steps of replica ratio, pausing or analysing between steps. */
    public int steps(String service, List<Integer> weights, Duration pause, AnalysisRequest analysis) {
        V1Deployment stable = requireStable(service);
        V1Deployment canary = requireCanary(service);
        int full = fullReplicas(stable);
        for (int weight : weights) {
            if (weight <= 0 || weight >= 100) {
                throw new ReleaseFailed("weights are percentages between 1 and 99, got " + weight);
            }
            int canaryReplicas = Math.max(1, Math.min(full - 1, (int) Math.round(full * weight / 100.0)));
            out.printf("step %d%%: canary %d, stable %d of %d pods (actual %d%%)%n", weight, canaryReplicas,
                    full - canaryReplicas, full, Math.round(100.0 * canaryReplicas / full));
            try {
                cluster.scale(canary.getMetadata().getName(), canaryReplicas);
                awaitRollout(canary.getMetadata().getName(), true);
                cluster.scale(service, full - canaryReplicas);
                awaitRollout(service, false);
            } catch (Waiter.WaitFailed e) {
                return abortBecause(service, e.getMessage());
            }
            if (analysis != null) {
                Analysis.Verdict verdict = analyzeNow(service, analysis);
                if (verdict.outcome() != Analysis.Outcome.PASS) {
                    return decide(service, verdict);
                }
            } else if (!pause.isZero()) {
                out.printf("pausing %ds before the next step%n", pause.toSeconds());
                pause(pause);
            }
        }
        out.printf("all steps done; next: canary promote %s%n", service);
        return ExitCode.OK;
    }

    /** Compares canary with stable; exit 0 pass, 1 fail (the canary is left for abort), 3 inconclusive. */
    public int analyze(String service, AnalysisRequest request) {
        requireCanary(service);
        Analysis.Verdict verdict = analyzeNow(service, request);
        return switch (verdict.outcome()) {
            case PASS -> ExitCode.OK;
            case FAIL -> ExitCode.FAILED;
            case INCONCLUSIVE -> ExitCode.INCONCLUSIVE;
        };
    }

    /** Rolls stable to the canary's image at full strength, then deletes the canary. */
    public int promote(String service) {
        V1Deployment stable = requireStable(service);
        V1Deployment canary = requireCanary(service);
        String image = Tracks.image(canary);
        int full = fullReplicas(stable);
        cluster.apply(Tracks.withImage(stable, image, full));
        out.printf("promoting %s: stable rolls to %s with %d replicas%n", service, image, full);
        awaitRollout(service, false);
        cluster.delete(canary.getMetadata().getName());
        clearFullReplicas(service);
        out.printf("promoted: %s runs %s on %d pods; canary deleted%n", service, image, full);
        return ExitCode.OK;
    }

    /** Deletes the canary and restores stable's replicas; safe to repeat, and after an interrupted run. */
    public int abort(String service) {
        V1Deployment stable = requireStable(service);
        int full = fullReplicas(stable);
        boolean deleted = cluster.delete(Tracks.canaryName(service));
        out.println(deleted ? "canary " + Tracks.canaryName(service) + " deleted" : "no canary of " + service + " to delete");
        if (!Objects.equals(stable.getSpec().getReplicas(), full)) {
            cluster.scale(service, full);
            out.printf("stable %s scaled back to %d%n", service, full);
        }
        awaitRollout(service, false);
        clearFullReplicas(service);
        out.printf("stable %s at full strength: %d pods run %s%n", service, full, Tracks.image(stable));
        return ExitCode.OK;
    }

    private int abortBecause(String service, String reason) {
        out.println("canary failed: " + reason);
        out.println("aborting the canary of " + service);
        abort(service);
        return ExitCode.FAILED;
    }

    private int decide(String service, Analysis.Verdict verdict) {
        return switch (verdict.outcome()) {
            case PASS -> promote(service);
            case FAIL -> abortBecause(service, String.join("; ", verdict.reasons()));
            case INCONCLUSIVE -> {
                out.printf("analysis inconclusive: the canary of %s is paused as it is; run canary analyze %s again "
                        + "with more traffic, or promote or abort it by hand%n", service, service);
                yield ExitCode.INCONCLUSIVE;
            }
        };
    }

    private Analysis.Verdict analyzeNow(String service, AnalysisRequest request) {
        Map<String, RequestStats> stableBefore = scrape(service, "stable");
        Map<String, RequestStats> canaryBefore = scrape(service, "canary");
        out.printf("analysing %s for %ds (canary %d pods, stable %d pods)%n", service, request.window().toSeconds(),
                canaryBefore.size(), stableBefore.size());
        pause(request.window());
        RequestStats stable = delta(stableBefore, scrape(service, "stable"));
        RequestStats canary = delta(canaryBefore, scrape(service, "canary"));
        Analysis.Verdict verdict = Analysis.judge(canary, stable, request.thresholds());
        out.print(verdict.report());
        return verdict;
    }

    private Map<String, RequestStats> scrape(String service, String track) {
        Map<String, RequestStats> byPod = new HashMap<>();
        for (V1Pod pod : cluster.pods(Tracks.selector(service, track))) {
            if (isReady(pod)) {
                String text = cluster.proxyGet(pod.getMetadata().getName(), SmokeChecks.containerPort(pod),
                        "/prometheus");
                byPod.put(pod.getMetadata().getName(), RequestStats.parse(text));
            }
        }
        return byPod;
    }

    /** Requests between two scrapes, summed over the pods seen in both (a pod that appeared counts from zero). */
    private static RequestStats delta(Map<String, RequestStats> before, Map<String, RequestStats> after) {
        RequestStats sum = RequestStats.empty();
        for (var pod : after.entrySet()) {
            sum = sum.plus(pod.getValue().since(before.getOrDefault(pod.getKey(), RequestStats.empty())));
        }
        return sum;
    }

    private void awaitRollout(String deployment, boolean failFastOnPods) {
        waiter.until(deployment, settings.rolloutTimeout(), () -> {
            V1Deployment current = cluster.deployment(deployment)
                    .orElseThrow(() -> new ReleaseFailed("deployment " + deployment + " disappeared"));
            RolloutStatus status = RolloutStatus.of(current);
            if (status.state() == RolloutStatus.State.FAILED) {
                return new Waiter.Check.Failed(status.message());
            }
            if (failFastOnPods) {
                Optional<String> trouble = podTrouble(current);
                if (trouble.isPresent()) {
                    return new Waiter.Check.Failed(trouble.get());
                }
            }
            if (status.done()) {
                return new Waiter.Check.Done(status.message());
            }
            int ready = current.getStatus() == null ? 0
                    : Objects.requireNonNullElse(current.getStatus().getReadyReplicas(), 0);
            return new Waiter.Check.Waiting(ready + "/" + current.getSpec().getReplicas() + " ready");
        });
        out.printf("deployment %s successfully rolled out%n", deployment);
    }

    /** A hopeless pod of this Deployment, or one that stays unready past the deadline, with its last log lines. */
    private Optional<String> podTrouble(V1Deployment deployment) {
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
        OffsetDateTime limit = OffsetDateTime.now().minus(settings.readinessDeadline());
        return pods.stream()
                .filter(pod -> pod.getStatus() != null && "Running".equals(pod.getStatus().getPhase()))
                .filter(pod -> !isReady(pod) && pod.getStatus().getStartTime() != null
                        && pod.getStatus().getStartTime().isBefore(limit))
                .findFirst()
                .map(pod -> new PodTrouble.Problem(pod.getMetadata().getName(), Tracks.APP_CONTAINER, "NotReady",
                        "pod " + pod.getMetadata().getName() + " is running but has failed its readiness probe for over "
                                + settings.readinessDeadline().toSeconds() + "s"));
    }

    private String lastLogLines(PodTrouble.Problem problem) {
        if (problem.container() == null) {
            return "";
        }
        String log = cluster.logTail(problem.pod(), problem.container(), 10).strip();
        return log.isEmpty() ? "" : "\nlast log lines of " + problem.pod() + ":\n  " + log.replace("\n", "\n  ");
    }

    static boolean isReady(V1Pod pod) {
        return pod.getStatus() != null && pod.getStatus().getConditions() != null
                && pod.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private List<V1Pod> canaryPods(String service) {
        return cluster.pods(Tracks.selector(service, "canary")).stream().filter(CanaryRelease::isReady).toList();
    }

    private V1Deployment requireStable(String service) {
        return cluster.deployment(service).orElseThrow(() -> new ReleaseFailed("deployment " + service
                + " not found in namespace " + cluster.namespace() + ": deploy it first (canary deploy " + service + ")"));
    }

    private V1Deployment requireCanary(String service) {
        return cluster.deployment(Tracks.canaryName(service)).orElseThrow(() -> new ReleaseFailed(
                "no canary of " + service + " is running: start one with canary start " + service + " --image IMAGE"));
    }

    /** Stable's replicas before the canary took its share; recorded on stable so that any run can restore it. */
    private static int fullReplicas(V1Deployment stable) {
        Map<String, String> annotations = stable.getMetadata().getAnnotations();
        if (annotations != null && annotations.containsKey(Tracks.FULL_REPLICAS)) {
            return Integer.parseInt(annotations.get(Tracks.FULL_REPLICAS));
        }
        return Objects.requireNonNullElse(stable.getSpec().getReplicas(), 1);
    }

    private void clearFullReplicas(String service) {
        Map<String, Object> annotations = new HashMap<>();
        annotations.put(Tracks.FULL_REPLICAS, null);
        cluster.mergePatch(service, Map.of("metadata", Map.of("annotations", annotations)));
    }

    private void pause(Duration duration) {
        try {
            ticker.pause(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReleaseFailed("interrupted");
        }
    }
}
