package io.microcanary.deployer.analysis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Judges a canary against thresholds, with stable as the baseline shown beside it. Too little canary traffic is
 * inconclusive, never a pass: no data proves nothing.
 */
public final class Analysis {

    public enum Outcome { PASS, FAIL, INCONCLUSIVE }

    public record Thresholds(double maxErrorRate, Duration maxP99, long minRequests) {
    }

    public record Verdict(Outcome outcome, List<String> reasons, RequestStats canary, RequestStats stable) {

        /** Side-by-side figures and the reasons, for a terminal. */
        public String report() {
            StringBuilder out = new StringBuilder();
            out.append(String.format(Locale.ROOT, "%-8s %10s %12s %10s%n", "track", "requests", "error rate", "p99"));
            out.append(row("stable", stable)).append(row("canary", canary));
            for (String reason : reasons) {
                out.append("  ").append(reason).append('\n');
            }
            out.append("verdict: ").append(outcome).append('\n');
            return out.toString();
        }

        private static String row(String track, RequestStats stats) {
            String p99 = Double.isNaN(stats.p99Millis()) ? "-" : String.format(Locale.ROOT, "%.1fms", stats.p99Millis());
            return String.format(Locale.ROOT, "%-8s %10.0f %11.2f%% %10s%n", track, stats.requests(),
                    stats.errorRate() * 100, p99);
        }
    }

    private Analysis() {
    }

    public static Verdict judge(RequestStats canary, RequestStats stable, Thresholds thresholds) {
        List<String> reasons = new ArrayList<>();
        if (canary.requests() < thresholds.minRequests()) {
            reasons.add(String.format(Locale.ROOT, "only %.0f canary requests in the window, %d needed to judge",
                    canary.requests(), thresholds.minRequests()));
            return new Verdict(Outcome.INCONCLUSIVE, reasons, canary, stable);
        }
        if (canary.errorRate() > thresholds.maxErrorRate()) {
            reasons.add(String.format(Locale.ROOT, "canary error rate %.2f%% is above %.2f%% (stable %.2f%%)",
                    canary.errorRate() * 100, thresholds.maxErrorRate() * 100, stable.errorRate() * 100));
        }
        double p99 = canary.p99Millis();
        if (p99 > thresholds.maxP99().toMillis()) {
            reasons.add(String.format(Locale.ROOT, "canary p99 %.1fms is above %dms (stable %s)", p99,
                    thresholds.maxP99().toMillis(), Double.isNaN(stable.p99Millis()) ? "-"
                            : String.format(Locale.ROOT, "%.1fms", stable.p99Millis())));
        }
        if (reasons.isEmpty()) {
            reasons.add(String.format(Locale.ROOT, "canary error rate %.2f%% and p99 %.1fms are within limits",
                    canary.errorRate() * 100, p99));
            return new Verdict(Outcome.PASS, reasons, canary, stable);
        }
        return new Verdict(Outcome.FAIL, reasons, canary, stable);
    }
}
