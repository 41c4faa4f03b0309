package io.microcanary.deployer.analysis;

import io.microcanary.deployer.cluster.Cluster;
import io.microcanary.deployer.rollout.Ticker;

import java.io.PrintStream;

/**
 * One analysis of a canary: every ready pod of both tracks is scraped, then again a window later, and what the canary
 * served in between is judged against the thresholds, with stable's figures beside it as the baseline.
 */
public final class CanaryAnalysis {

    /** The label selectors of each track's pods. */
    public record TrackSelectors(String stable, String canary) {
    }

    private final Cluster cluster;
    private final Ticker ticker;
    private final PrintStream out;

    public CanaryAnalysis(Cluster cluster, Ticker ticker, PrintStream out) {
        this.cluster = cluster;
        this.ticker = ticker;
        this.out = out;
    }

    /** Runs the analysis, printing each pod's share and the verdict's report. */
    public Analysis.Verdict run(String service, TrackSelectors tracks, AnalysisRequest request)
            throws InterruptedException {
        PodRequests stableBefore = PodRequests.scrape(cluster, tracks.stable());
        PodRequests canaryBefore = PodRequests.scrape(cluster, tracks.canary());
        out.printf("analysing %s for %ds (canary %d pods, stable %d pods)%n", service, request.window().toSeconds(),
                canaryBefore.pods(), stableBefore.pods());
        ticker.pause(request.window());
        PodRequests stable = PodRequests.scrape(cluster, tracks.stable()).since(stableBefore);
        PodRequests canary = PodRequests.scrape(cluster, tracks.canary()).since(canaryBefore);
        out.print(stable.lines("stable"));
        out.print(canary.lines("canary"));
        Analysis.Verdict verdict = Analysis.judge(canary.total(), stable.total(), request.thresholds());
        out.print(verdict.report());
        return verdict;
    }
}
