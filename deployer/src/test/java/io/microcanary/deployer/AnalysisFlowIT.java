package io.microcanary.deployer;

import io.microcanary.deployer.analysis.MetricsText;
import io.microcanary.deployer.emulation.FakeKubernetes;
import io.microcanary.deployer.emulation.Harness;
import io.microcanary.deployer.emulation.RecordedCall;
import io.microcanary.deployer.release.CanaryRelease;
import io.microcanary.deployer.rollout.FakeTicker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static io.microcanary.deployer.emulation.Deployments.stable;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Canary analysis of sava-product against an emulated API server: each pod's /prometheus is read through the pod
 * proxy; the canary's answers depend on the image released (":bad" errs on 30% of requests, ":quiet" gets almost
 * no traffic), stable always answers well.
 */
class AnalysisFlowIT {

    private static final String STABLE_IMAGE = "micro-canary/sava-product:0.1.0";

    private FakeKubernetes k8s;
    private Harness canary;
    private final Map<String, Integer> scrapes = new ConcurrentHashMap<>();

    @BeforeEach
    void cluster() throws IOException {
        k8s = new FakeKubernetes(new FakeTicker());
        k8s.givenDeployment(stable("sava-product", STABLE_IMAGE, 3, 8080));
        k8s.proxy((pod, path) -> path.equals("/prometheus") ? metrics(pod) : "{\"status\":\"UP\"}");
        canary = new Harness(k8s, new CanaryRelease.Settings(Duration.ofSeconds(30), Duration.ofSeconds(5)));
    }

    @AfterEach
    void close() throws IOException {
        k8s.close();
    }

    /** Counters grow by one window's worth of traffic per scrape, as a live pod's would. */
    private String metrics(String pod) {
        int n = scrapes.merge(pod, 1, Integer::sum);
        String deployment = pod.startsWith("sava-product-canary") ? "sava-product-canary" : "sava-product";
        String image = k8s.image(deployment);
        if (image.endsWith(":bad") || k8s.deployment(deployment).toString().contains("FAULT_ERROR_RATE")) {
            return MetricsText.of(70L * n, 30L * n, 0.004);
        }
        if (image.endsWith(":quiet")) {
            return MetricsText.of(5L * n, 0, 0.004);
        }
        return MetricsText.of(100L * n, 0, 0.004);
    }

    @Test
    void aHealthyCanaryPassesAnalysisReadThroughThePodProxy() {
        assertSucceeds(canary.run("start", "sava-product", "--image", "micro-canary/sava-product:good"));
        k8s.clearCalls();

        Harness.Result result = canary.run("analyze", "sava-product", "--window", "60s");

        assertEquals(0, result.exitCode(), result.toString());
        assertTrue(result.out().contains("analysing sava-product for 60s (canary 1 pods, stable 2 pods)"), result.out());
        assertTrue(result.took().compareTo(Duration.ofSeconds(60)) >= 0, "the window passed: " + result.took());
        assertTrue(result.out().contains("verdict: PASS"), result.out());
        assertTrue(result.out().contains("canary          100        0.00%"), "one window of one canary pod: " + result.out());
        assertTrue(result.out().contains("stable          200        0.00%"), "two stable pods: " + result.out());
        assertTrue(k8s.calls().stream().map(RecordedCall::path).anyMatch(path ->
                path.matches("/api/v1/namespaces/micro-canary/pods/sava-product-canary-[^/]+:8080/proxy/prometheus")),
                k8s.calls().toString());
        assertTrue(k8s.writes().isEmpty(), "analysis only reads");
    }

    @Test
    void aFailingCanaryFailsAnalysisAndIsLeftForAbort() {
        assertSucceeds(canary.run("start", "sava-product", "--image", "micro-canary/sava-product:bad"));

        Harness.Result result = canary.run("analyze", "sava-product", "--window", "60s");

        assertEquals(1, result.exitCode(), result.toString());
        assertTrue(result.out().contains("canary error rate 30.00% is above 1.00% (stable 0.00%)"), result.out());
        assertNotNull(k8s.deployment("sava-product-canary"));
    }

    @Test
    void tooLittleTrafficIsInconclusiveWithExitThree() {
        assertSucceeds(canary.run("start", "sava-product", "--image", "micro-canary/sava-product:quiet"));

        Harness.Result result = canary.run("analyze", "sava-product", "--window", "60s");

        assertEquals(3, result.exitCode(), result.toString());
        assertTrue(result.out().contains("only 5 canary requests in the window, 50 needed to judge"), result.out());
        assertTrue(result.out().matches("(?s).*\\n  canary  sava-product-canary-\\S+ +5 requests +0\\.00% errors\\n.*"),
                "each pod's share shows where the traffic went: " + result.out());
        assertEquals(2, result.out().lines().filter(line -> line.matches("  stable  sava-product-\\S+ +100 requests.*"))
                .count(), result.out());
    }

    @Test
    void startAutoAbortsABadReleaseByItself() {
        Harness.Result result = canary.run("start", "sava-product", "--image", "micro-canary/sava-product:bad", "--auto",
                "--window", "60s");

        assertEquals(1, result.exitCode(), result.toString());
        assertTrue(result.out().contains("canary failed: canary error rate 30.00%"), result.out());
        assertNull(k8s.deployment("sava-product-canary"));
        assertEquals(STABLE_IMAGE, k8s.image("sava-product"));
        assertEquals(3, k8s.replicas("sava-product"));
    }

    @Test
    void theTutorialsBadReleaseIsAGoodImageWithFaultsSwitchedOnInTheCanaryOnly() {
        Harness.Result result = canary.run("start", "sava-product", "--image", "micro-canary/sava-product:good",
                "--env", "FAULT_ERROR_RATE=0.3", "--auto", "--window", "60s");

        assertEquals(1, result.exitCode(), result.toString());
        String applied = k8s.writes().stream().filter(call -> call.path().endsWith("/sava-product-canary"))
                .findFirst().orElseThrow().body();
        assertTrue(applied.contains("{\"name\":\"FAULT_ERROR_RATE\",\"value\":\"0.3\"}"), applied);
        assertTrue(result.out().contains("canary failed: canary error rate 30.00% is above 1.00%"), result.out());
        assertNull(k8s.deployment("sava-product-canary"));
        assertFalse(k8s.deployment("sava-product").toString().contains("FAULT_ERROR_RATE"), "stable never had it");
    }

    @Test
    void startAutoPromotesAGoodRelease() {
        Harness.Result result = canary.run("start", "sava-product", "--image", "micro-canary/sava-product:good", "--auto",
                "--window", "60s");

        assertEquals(0, result.exitCode(), result.toString());
        assertEquals("micro-canary/sava-product:good", k8s.image("sava-product"));
        assertEquals(3, k8s.replicas("sava-product"));
        assertNull(k8s.deployment("sava-product-canary"));
    }

    @Test
    void startAutoLeavesAnInconclusiveCanaryPaused() {
        Harness.Result result = canary.run("start", "sava-product", "--image", "micro-canary/sava-product:quiet", "--auto",
                "--window", "60s");

        assertEquals(3, result.exitCode(), result.toString());
        assertTrue(result.out().contains("analysis inconclusive: the canary of sava-product is paused"), result.out());
        assertNotNull(k8s.deployment("sava-product-canary"));
        assertEquals(2, k8s.replicas("sava-product"));
    }

    @Test
    void stepsMoveTrafficByReplicaRatioShowingRequestedAndActualShares() {
        k8s.givenDeployment(stable("sava-product", STABLE_IMAGE, 4, 8080));
        assertSucceeds(canary.run("start", "sava-product", "--image", "micro-canary/sava-product:good"));

        Harness.Result result = canary.run("steps", "sava-product", "--weights", "10,50", "--analyze", "--window", "60s");

        assertEquals(0, result.exitCode(), result.toString());
        assertTrue(result.out().contains("step 10%: canary 1, stable 3 of 4 pods (actual 25%)"), result.out());
        assertTrue(result.out().contains("step 50%: canary 2, stable 2 of 4 pods (actual 50%)"), result.out());
        assertEquals(2, k8s.replicas("sava-product-canary"));
        assertEquals(2, k8s.replicas("sava-product"));
    }

    @Test
    void stepsStopAtAFailedAnalysisAndAbort() {
        k8s.givenDeployment(stable("sava-product", STABLE_IMAGE, 4, 8080));
        assertSucceeds(canary.run("start", "sava-product", "--image", "micro-canary/sava-product:bad"));

        Harness.Result result = canary.run("steps", "sava-product", "--weights", "25,50", "--analyze", "--window", "60s");

        assertEquals(1, result.exitCode(), result.toString());
        assertTrue(!result.out().contains("step 50%"), result.out());
        assertNull(k8s.deployment("sava-product-canary"));
        assertEquals(4, k8s.replicas("sava-product"));
    }

    private static void assertSucceeds(Harness.Result result) {
        assertEquals(0, result.exitCode(), result::toString);
    }
}
