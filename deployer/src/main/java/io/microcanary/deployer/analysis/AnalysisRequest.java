package io.microcanary.deployer.analysis;

import java.time.Duration;

/** An analysis to run: over which window, against which thresholds. */
public record AnalysisRequest(Duration window, Analysis.Thresholds thresholds) {
}
