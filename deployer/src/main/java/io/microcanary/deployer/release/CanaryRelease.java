package io.microcanary.deployer.release;

import com.google.gson.JsonObject;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Pod;
import io.microcanary.deployer.analysis.Analysis;
import io.microcanary.deployer.analysis.AnalysisRequest;
import io.microcanary.deployer.analysis.CanaryAnalysis;
import io.microcanary.deployer.cluster.Cluster;
import io.microcanary.deployer.cluster.ClusterException;
import io.microcanary.deployer.cluster.Pods;
import io.microcanary.deployer.rollout.PodDiagnosis;
import io.microcanary.deployer.rollout.RolloutStatus;
import io.microcanary.deployer.rollout.Ticker;
import io.microcanary.deployer.rollout.Waiter;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The canary flow of the tutorials, made safe to interrupt: a canary Deployment beside stable, stable scaled down
 * to keep the total, smoke checks, analysis, then promotion (stable rolled to the canary image, canary deleted) or
 * abort (stable back at full strength, canary deleted). The canary carries the release's state, and every verb
 * changes stable before it deletes the canary, so a run stopped at any point leaves enough for the next to finish.
 */
public final class CanaryRelease {

    /** Deadlines of the waits. */
    public record Settings(Duration rolloutTimeout, Duration readinessDeadline) {
        public static Settings defaults() {
            return new Settings(Duration.ofMinutes(3), Duration.ofSeconds(90));
        }

        public Settings withTimeout(Duration timeout) {
            return timeout == null ? this : new Settings(timeout, readinessDeadline);
        }
    }

    private final Cluster cluster;
    private final Waiter waiter;
    private final Ticker ticker;
    private final PrintStream out;
    private final Settings settings;
    private final SmokeChecks smokeChecks;
    private final PodDiagnosis podDiagnosis;
    private final CanaryAnalysis canaryAnalysis;

    public CanaryRelease(Cluster cluster, Waiter waiter, Ticker ticker, PrintStream out, Settings settings) {
        this.cluster = cluster;
        this.waiter = waiter;
        this.ticker = ticker;
        this.out = out;
        this.settings = settings;
        this.smokeChecks = new SmokeChecks(cluster, out);
        this.podDiagnosis = new PodDiagnosis(cluster, ticker, settings.readinessDeadline());
        this.canaryAnalysis = new CanaryAnalysis(cluster, ticker, out);
    }

    /**
     * Applies stable as the manifest defines it and waits for it to roll out. Without {@code image} it keeps the
     * image that runs (the manifest's only when there is none yet): a deploy changes the Deployment, not the release.
     */
    public int deploy(JsonObject manifest, String image, Integer replicas) {
        String name = manifest.getAsJsonObject("metadata").get("name").getAsString();
        Optional<V1Deployment> live = cluster.deployment(name);
        String chosen = image != null ? image : live.map(Tracks::image).orElseGet(() -> ApplyConfigurations.image(manifest));
        int desired = replicas != null ? replicas : manifest.getAsJsonObject("spec").has("replicas")
                ? manifest.getAsJsonObject("spec").get("replicas").getAsInt() : 1;
        cluster.apply(ApplyConfigurations.stable(manifest, chosen, desired, cluster.namespace()));
        out.printf("deployment %s applied: %s, %d replicas%n", name, chosen, desired);
        awaitRollout(name, false);
        return ExitCode.OK;
    }

    /** Starts a canary of {@code image} beside stable; any failure aborts it, leaving stable as it was. */
    public int start(String service, String image, int canaryReplicas, Map<String, String> env,
                     AnalysisRequest auto, boolean force) {
        V1Deployment stable = requireStable(service);
        Optional<V1Deployment> existing = cluster.deployment(Tracks.canaryName(service));
        if (existing.isPresent() && !image.equals(Tracks.image(existing.get()))) {
            throw new ReleaseFailed("a canary of " + service + " with " + Tracks.image(existing.get())
                    + " is already running: promote or abort it first");
        }
        if (existing.isEmpty() && image.equals(Tracks.image(stable)) && env.isEmpty() && !force) {
            throw new ReleaseFailed("stable " + service + " already runs " + image + ": a canary of the same image "
                    + "releases nothing (build a new image, or pass --force to rehearse the flow with it)");
        }
        int full = existing.map(CanaryRelease::recordedStableReplicas).orElse(replicasOf(stable));
        if (canaryReplicas < 1 || canaryReplicas > full) {
            throw new ReleaseFailed("--canary-replicas must be between 1 and stable's " + full + " replicas");
        }
        JsonObject liveStable = cluster.deploymentJson(service).orElseThrow(() -> notDeployed(service));
        try {
            cluster.apply(ApplyConfigurations.canary(liveStable, image, canaryReplicas, env, full));
            out.printf("canary %s applied: %s, %d of %d pods%n", Tracks.canaryName(service), image, canaryReplicas, full);
            awaitRollout(Tracks.canaryName(service), true);
            // keep the total, but never take stable's last pod: with one replica the canary runs beside it
            int stableDuring = Math.max(1, full - canaryReplicas);
            if (replicasOf(requireStable(service)) != stableDuring) {
                cluster.scale(service, stableDuring);
                out.printf("stable %s scaled to %d (%d pods in total while the canary runs)%n", service, stableDuring,
                        stableDuring + canaryReplicas);
            }
            awaitRollout(service, false);
            smokeChecks.run(service, canaryPods(service)).ifPresent(failure -> {
                throw new ReleaseFailed(failure);
            });
        } catch (ReleaseFailed | Waiter.WaitFailed | ClusterException e) {
            // any failure on the way aborts (if the API server itself is failing, the abort says so in its turn)
            return abortBecause(service, e.getMessage());
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
        requireStable(service);
        V1Deployment canary = requireCanary(service);
        int full = recordedStableReplicas(canary);
        if (full < 2) {
            throw new ReleaseFailed("stable " + service + " has " + full + " replica: traffic moves in whole pods, so "
                    + "every step would send all of it to the canary; deploy stable with --replicas 4 or more first "
                    + "(canary deploy " + service + " --replicas 4), or promote or abort this canary");
        }
        for (int weight : weights) {
            if (weight <= 0 || weight >= 100) {
                throw new ReleaseFailed("weights are percentages between 1 and 99, got " + weight);
            }
        }
        for (int weight : weights) {
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
        requireStable(service);
        V1Deployment canary = requireCanary(service);
        String image = Tracks.image(canary);
        int full = recordedStableReplicas(canary);
        JsonObject liveStable = cluster.deploymentJson(service).orElseThrow(() -> notDeployed(service));
        cluster.jsonPatch(service, ApplyConfigurations.promotion(liveStable, image, full));
        out.printf("promoting %s: stable rolls to %s with %d replicas%n", service, image, full);
        awaitRollout(service, false);
        deleteCanary(service);
        out.printf("promoted: %s runs %s on %d pods; canary deleted%n", service, image, full);
        return ExitCode.OK;
    }

    /** Restores stable's replicas, then deletes the canary; safe to repeat, and after an interrupted run. */
    public int abort(String service) {
        V1Deployment stable = requireStable(service);
        Optional<V1Deployment> canary = cluster.deployment(Tracks.canaryName(service));
        int full = canary.map(CanaryRelease::recordedStableReplicas).orElse(replicasOf(stable));
        if (replicasOf(stable) != full) {
            cluster.scale(service, full);
            out.printf("stable %s scaled back to %d%n", service, full);
        }
        awaitRollout(service, false);
        if (canary.isPresent()) {
            deleteCanary(service);
        } else {
            out.println("no canary of " + service + " to delete");
        }
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
        try {
            return canaryAnalysis.run(service, new CanaryAnalysis.TrackSelectors(Tracks.selector(service, "stable"),
                    Tracks.selector(service, "canary")), request);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReleaseFailed("interrupted");
        }
    }

    /** Deletes the canary and waits until it and its pods are gone, so "deleted" is true when printed. */
    private void deleteCanary(String service) {
        String name = Tracks.canaryName(service);
        cluster.delete(name);
        waiter.until(name + " to be deleted", settings.rolloutTimeout(), () -> cluster.deployment(name)
                .<Waiter.Check>map(still -> new Waiter.Check.Waiting("its pods are terminating"))
                .orElse(new Waiter.Check.Done("deleted")));
        out.println("canary " + name + " deleted");
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
                Optional<String> trouble = podDiagnosis.find(current);
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

    private List<V1Pod> canaryPods(String service) {
        return cluster.pods(Tracks.selector(service, "canary")).stream().filter(Pods::isReady).toList();
    }

    private V1Deployment requireStable(String service) {
        return cluster.deployment(service).orElseThrow(() -> notDeployed(service));
    }

    private ReleaseFailed notDeployed(String service) {
        return new ReleaseFailed("deployment " + service + " not found in namespace " + cluster.namespace()
                + ": deploy it first (canary deploy " + service + ")");
    }

    private V1Deployment requireCanary(String service) {
        return cluster.deployment(Tracks.canaryName(service)).orElseThrow(() -> new ReleaseFailed(
                "no canary of " + service + " is running: start one with canary start " + service + " --image IMAGE"));
    }

    /** Stable's replicas before the canary took its share, as the canary records them. */
    private static int recordedStableReplicas(V1Deployment canary) {
        Map<String, String> annotations = canary.getMetadata().getAnnotations();
        String recorded = annotations == null ? null : annotations.get(Tracks.STABLE_REPLICAS);
        if (recorded == null) {
            throw new ReleaseFailed("canary " + canary.getMetadata().getName() + " has no " + Tracks.STABLE_REPLICAS
                    + " annotation, so stable's full size is unknown: it was not started by this harness; delete it "
                    + "with kubectl and scale stable by hand");
        }
        return Integer.parseInt(recorded);
    }

    private static int replicasOf(V1Deployment deployment) {
        return Objects.requireNonNullElse(deployment.getSpec().getReplicas(), 1);
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
