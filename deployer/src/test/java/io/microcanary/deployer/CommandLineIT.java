package io.microcanary.deployer;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.microcanary.deployer.emulation.Behaviour;
import io.microcanary.deployer.emulation.Deployments;
import io.microcanary.deployer.emulation.FakeKubernetes;
import io.microcanary.deployer.emulation.Harness;
import io.microcanary.deployer.emulation.RecordedCall;
import io.microcanary.deployer.release.CanaryRelease;
import io.microcanary.deployer.rollout.FakeTicker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.microcanary.deployer.emulation.Deployments.stable;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** deploy from the project's real manifests, status, and the command line itself. */
class CommandLineIT {

    private FakeKubernetes k8s;
    private Harness canary;

    @BeforeEach
    void cluster() throws IOException {
        k8s = new FakeKubernetes(new FakeTicker());
        canary = new Harness(k8s, new CanaryRelease.Settings(Duration.ofSeconds(30), Duration.ofSeconds(5)));
    }

    @AfterEach
    void close() throws IOException {
        k8s.close();
    }

    @Test
    void deployAppliesTheRenderedManifestAsATypedObjectAndWaitsForIt() throws Exception {
        Path root = checkout();
        Process secrets = new ProcessBuilder("bash", root.resolve("scripts/k8s-secrets.sh").toString())
                .redirectErrorStream(true).start();
        assertEquals(0, secrets.waitFor(), new String(secrets.getInputStream().readAllBytes()));

        Harness.Result result = canary.run("deploy", "addressbook", "--image", "micro-canary/addressbook:4f2a9c1",
                "--replicas", "3", "--manifests", root.resolve("k8s/overlays/minikube").toString());

        assertEquals(0, result.exitCode(), result.toString());
        List<RecordedCall> writes = k8s.writes();
        assertEquals(List.of("PATCH /apis/apps/v1/namespaces/micro-canary/deployments/addressbook"
                + "?fieldManager=micro-canary&force=true [application/apply-patch+yaml]"),
                writes.stream().map(RecordedCall::toString).toList());
        String body = writes.get(0).body();
        assertTrue(body.contains("\"readinessProbe\"") && body.contains("/health/readiness"),
                "the manifest as kustomize rendered it, with the shared probes: " + body);
        assertTrue(body.contains("\"image\":\"micro-canary/addressbook:4f2a9c1\"") && body.contains("\"replicas\":3"), body);
        assertTrue(body.contains("\"version\":\"4f2a9c1\""), body);
        assertTrue(result.out().contains("deployment addressbook successfully rolled out"), result.out());
        assertEquals(3, k8s.deployment("addressbook").getAsJsonObject("status").get("readyReplicas").getAsInt());
    }

    @Test
    void deployNamesAMissingServiceClearly() throws IOException {
        Path rendered = Files.createTempFile("rendered", ".yaml");
        Files.writeString(rendered, "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: micro-canary\n");

        Harness.Result result = canary.run("deploy", "addressbook", "--manifests", rendered.toString());

        assertEquals(1, result.exitCode());
        assertEquals("error: no Deployment addressbook in " + rendered + "\n", result.err());
    }

    @Test
    void statusDrawsBothTracksTheTrafficSplitAndEvents() {
        k8s.givenDeployment(stable("addressbook", "micro-canary/addressbook:0.1.0", 3, 3000));
        assertSucceeds(canary.run("start", "addressbook", "--image", "micro-canary/addressbook:4f2a9c1"));

        Harness.Result result = canary.run("status", "addressbook");

        assertEquals(0, result.exitCode(), result.toString());
        List<String> lines = result.out().lines().toList();
        assertEquals("addressbook  (namespace micro-canary)", lines.get(0));
        assertTrue(lines.get(1).matches("├─ stable +addressbook +micro-canary/addressbook:0\\.1\\.0 +2/2 ready"), lines.get(1));
        assertTrue(lines.get(2).matches("├─ canary +addressbook-canary +micro-canary/addressbook:4f2a9c1 +1/1 ready"),
                lines.get(2));
        assertEquals("└─ traffic [#############=======] stable 67% (#) / canary 33% (=)", lines.get(3));
        assertTrue(result.out().contains("Normal  SuccessfulCreate   Created pod: addressbook-canary-"),
                "the ReplicaSets' events are shown: " + result.out());
        assertTrue(result.out().contains("Normal  Started            Started container app"),
                "the pods' events are shown: " + result.out());
    }

    @Test
    void statusShowsWhyACanaryPodIsStuckFromThePodsOwnEvents() {
        k8s.givenDeployment(stable("addressbook", "micro-canary/addressbook:0.1.0", 3, 3000));
        k8s.behaviour(image -> image.endsWith(":big") ? Behaviour.UNSCHEDULABLE : Behaviour.HEALTHY);
        k8s.givenDeployment(Deployments.canary("addressbook", "micro-canary/addressbook:big", 1, 3000));

        Harness.Result result = canary.run("status", "addressbook");

        assertTrue(result.out().contains("Warning FailedScheduling   0/1 nodes are available: 1 Insufficient memory."),
                result.out());
        assertFalse(k8s.calls().stream().anyMatch(call -> call.path().endsWith("/events") && (call.query() == null
                || !call.query().contains("involvedObject.kind="))), "events are always asked for by kind");
    }

    @Test
    void statusWithoutServicesShowsEveryStableDeploymentAndWatchRedrawsWhileAReleaseRuns() {
        k8s.givenDeployment(stable("addressbook", "micro-canary/addressbook:0.1.0", 2, 3000));
        k8s.givenDeployment(stable("adderservice", "micro-canary/adderservice:0.1.0", 1, 8080));
        assertEquals(0, canary.run("start", "addressbook", "--image", "micro-canary/addressbook:4f2a9c1").exitCode());

        Harness.Result result = canary.run("status", "--watch", "--watch-limit", "2");

        assertEquals(0, result.exitCode(), result.toString());
        assertEquals(2, result.out().split("\033\\[H\033\\[2J", -1).length - 1, "two redraws");
        assertTrue(result.out().indexOf("adderservice  (namespace") < result.out().indexOf("addressbook  (namespace"));
        assertTrue(result.out().contains("├─ canary  none"), result.out());
    }

    @Test
    void statusAsJsonAndYamlHasTheTreesFields() {
        k8s.givenDeployment(stable("addressbook", "micro-canary/addressbook:0.1.0", 3, 3000));
        assertEquals(0, canary.run("start", "addressbook", "--image", "micro-canary/addressbook:4f2a9c1").exitCode());

        Harness.Result json = canary.run("status", "addressbook", "-o", "json");

        assertEquals(0, json.exitCode(), json.toString());
        JsonObject item = JsonParser.parseString(json.out()).getAsJsonObject().getAsJsonArray("items").get(0)
                .getAsJsonObject();
        assertEquals("addressbook", item.get("service").getAsString());
        assertEquals("micro-canary", item.get("namespace").getAsString());
        assertEquals("micro-canary/addressbook:0.1.0", item.getAsJsonObject("stable").get("image").getAsString());
        assertEquals(2, item.getAsJsonObject("stable").get("ready").getAsInt());
        assertEquals("addressbook-canary", item.getAsJsonObject("canary").get("deployment").getAsString());
        assertEquals(33, item.getAsJsonObject("traffic").get("canaryPercent").getAsInt());
        assertEquals(67, item.getAsJsonObject("traffic").get("stablePercent").getAsInt());
        assertTrue(item.getAsJsonArray("events").size() > 0, json.out());

        Harness.Result yaml = canary.run("status", "addressbook", "-o", "yaml");
        Map<?, ?> parsed = (Map<?, ?>) new org.yaml.snakeyaml.Yaml().load(yaml.out());
        Map<?, ?> yamlItem = (Map<?, ?>) ((List<?>) parsed.get("items")).get(0);
        assertEquals(item.keySet(), yamlItem.keySet().stream().map(String::valueOf).collect(java.util.stream.Collectors.toSet()));
        assertEquals(2, canary.run("status", "-o", "json", "--watch").exitCode(), "one or the other");
    }

    @Test
    void statusWatchEndsByItselfWhenTheReleaseHasEnded() {
        k8s.givenDeployment(stable("addressbook", "micro-canary/addressbook:0.1.0", 2, 3000));

        Harness.Result result = canary.run("status", "addressbook", "--watch");

        assertEquals(0, result.exitCode(), result.toString());
        assertEquals(1, result.out().split("\033\\[H\033\\[2J", -1).length - 1, "one drawing, then done");
    }

    @Test
    void anUnreachableApiServerIsOneReadableLine() throws IOException {
        String server = k8s.baseUrl();
        k8s.goAway();

        Harness.Result result = canary.run("status", "addressbook");

        assertEquals(1, result.exitCode());
        assertEquals("error: cannot reach the Kubernetes API server at " + server + ": connection refused (is the "
                + "cluster running? try: kubectl cluster-info)\n", result.err());
    }

    @Test
    void everyWaitingVerbTakesATimeout() {
        k8s.givenDeployment(stable("addressbook", "micro-canary/addressbook:0.1.0", 3, 3000));
        k8s.behaviour(image -> image.endsWith(":slow") ? Behaviour.NEVER_READY : Behaviour.HEALTHY);

        Harness.Result result = canary.run("start", "addressbook", "--image", "micro-canary/addressbook:slow",
                "--timeout", "1s");

        assertEquals(1, result.exitCode(), result.toString());
        assertTrue(result.out().contains("canary failed: timed out after 1s waiting for addressbook-canary: 0/1 ready"),
                result.out());
        String help = canary.run("promote", "--help").out();
        assertTrue(help.contains("--timeout=DURATION"), help);
    }

    @Test
    void helpReadsLikeKubectlsAndUsageErrorsExitTwo() {
        Harness.Result help = canary.run("--help");
        assertEquals(0, help.exitCode());
        for (String verb : List.of("deploy", "start", "steps", "analyze", "promote", "abort", "status")) {
            assertTrue(help.out().contains("  " + verb), verb + " in " + help.out());
        }
        assertTrue(help.out().contains("-n, --namespace=NAMESPACE"), help.out());
        assertTrue(help.out().contains("Exit codes: 0 success, 1 failed or aborted, 2 usage, 3 inconclusive"), help.out());

        Harness.Result startHelp = canary.run("start", "--help");
        assertTrue(startHelp.out().contains("--canary-replicas=N") && startHelp.out().contains("--max-p99=DURATION"),
                startHelp.out());

        assertEquals(2, canary.run().exitCode(), "a verb is required");
        assertEquals(2, canary.run("launch", "addressbook").exitCode());
        Harness.Result noImage = canary.run("start", "addressbook");
        assertEquals(2, noImage.exitCode());
        assertTrue(noImage.err().contains("Missing required option: '--image=IMAGE'"), noImage.err());
        Harness.Result badDuration = canary.run("analyze", "addressbook", "--window", "soon");
        assertEquals(2, badDuration.exitCode());
        assertTrue(badDuration.err().contains("'soon' is not a duration like 500ms, 60s, 2m or 1h"), badDuration.err());
        assertTrue(k8s.calls().isEmpty(), "usage errors never reach the cluster");
    }

    @Test
    void theNamespaceFlagIsAcceptedAfterTheVerb() {
        Harness.Result result = canary.run("status", "addressbook", "-n", "shop");
        assertEquals(0, result.exitCode(), result.toString());
        assertTrue(result.out().startsWith("addressbook  (namespace shop)"), result.out());
        assertTrue(k8s.calls().get(0).path().startsWith("/apis/apps/v1/namespaces/shop/"), k8s.calls().toString());
    }

    private static Path checkout() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("mvnw"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("not inside the micro-canary checkout");
        }
        return dir;
    }

    private static void assertSucceeds(Harness.Result result) {
        assertEquals(0, result.exitCode(), result::toString);
    }
}
