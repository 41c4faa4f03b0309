package io.microcanary.deployer.cli;

import io.microcanary.commandline.Durations;
import io.microcanary.deployer.analysis.Analysis;
import io.microcanary.deployer.analysis.AnalysisRequest;
import picocli.CommandLine.Option;

import java.time.Duration;

/** The thresholds of an analysis, shared by analyze, start --auto and steps --analyze. */
final class AnalysisOptions {

    @Option(names = "--window", defaultValue = "60s", converter = Durations.class, paramLabel = "DURATION",
            description = "How long to watch live traffic (default: ${DEFAULT-VALUE}).")
    Duration window;

    @Option(names = "--max-error-rate", defaultValue = "0.01", paramLabel = "RATIO",
            description = "Highest share of 5xx answers the canary may give (default: ${DEFAULT-VALUE}).")
    double maxErrorRate;

    @Option(names = "--max-p99", defaultValue = "500ms", converter = Durations.class, paramLabel = "DURATION",
            description = "Highest 99th percentile latency of the canary (default: ${DEFAULT-VALUE}).")
    Duration maxP99;

    @Option(names = "--min-requests", defaultValue = "50", paramLabel = "N",
            description = "Fewer canary requests than this in the window is inconclusive (default: ${DEFAULT-VALUE}).")
    long minRequests;

    AnalysisRequest request() {
        return new AnalysisRequest(window, new Analysis.Thresholds(maxErrorRate, maxP99, minRequests));
    }
}
