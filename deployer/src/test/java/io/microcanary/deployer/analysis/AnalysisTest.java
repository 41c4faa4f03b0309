package io.microcanary.deployer.analysis;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AnalysisTest {

    private static final Analysis.Thresholds LIMITS = new Analysis.Thresholds(0.01, Duration.ofMillis(500), 50);
    private static final RequestStats STABLE = RequestStats.parse(MetricsText.of(1000, 0, 0.004));

    @Test
    void aHealthyCanaryPasses() {
        Analysis.Verdict verdict = Analysis.judge(RequestStats.parse(MetricsText.of(200, 1, 0.004)), STABLE, LIMITS);
        assertEquals(Analysis.Outcome.PASS, verdict.outcome(), verdict.report());
    }

    @Test
    void tooManyErrorsFailsAndSaysWhy() {
        Analysis.Verdict verdict = Analysis.judge(RequestStats.parse(MetricsText.of(70, 30, 0.004)), STABLE, LIMITS);
        assertEquals(Analysis.Outcome.FAIL, verdict.outcome());
        assertTrue(verdict.reasons().get(0).contains("error rate 30.00% is above 1.00% (stable 0.00%)"),
                verdict.reasons().toString());
    }

    @Test
    void aSlowCanaryFails() {
        Analysis.Verdict verdict = Analysis.judge(RequestStats.parse(MetricsText.of(100, 0, 0.9)), STABLE, LIMITS);
        assertEquals(Analysis.Outcome.FAIL, verdict.outcome());
        assertTrue(verdict.reasons().get(0).startsWith("canary p99"), verdict.reasons().toString());
    }

    @Test
    void tooLittleTrafficIsInconclusiveEvenWhenEveryRequestFailed() {
        Analysis.Verdict verdict = Analysis.judge(RequestStats.parse(MetricsText.of(0, 10, 0.004)), STABLE, LIMITS);
        assertEquals(Analysis.Outcome.INCONCLUSIVE, verdict.outcome());
        assertTrue(verdict.reasons().get(0).contains("only 10 canary requests"), verdict.reasons().toString());
    }

    @Test
    void noTrafficAtAllIsInconclusiveNotAPass() {
        assertEquals(Analysis.Outcome.INCONCLUSIVE, Analysis.judge(RequestStats.empty(), STABLE, LIMITS).outcome());
    }

    @Test
    void theReportShowsBothTracksSideBySide() {
        String report = Analysis.judge(RequestStats.parse(MetricsText.of(200, 0, 0.004)), STABLE, LIMITS).report();
        assertTrue(report.contains("stable         1000        0.00%"), report);
        assertTrue(report.contains("canary          200        0.00%"), report);
        assertTrue(report.endsWith("verdict: PASS\n"), report);
    }
}
