package io.microcanary.deployer;

import com.google.gson.JsonObject;
import io.microcanary.deployer.emulation.Behaviour;
import io.microcanary.deployer.emulation.FakeKubernetes;
import io.microcanary.deployer.emulation.Harness;
import io.microcanary.deployer.emulation.RecordedCall;
import io.microcanary.deployer.release.CanaryRelease;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import static io.microcanary.deployer.emulation.Deployments.stable;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The tutorial's canary flow for addressbook against an emulated API server: start, smoke checks, promote or abort. */
class CanaryFlowIT {

    private static final String DEPLOYMENTS = "/apis/apps/v1/namespaces/micro-canary/deployments/";
    private static final String STABLE_IMAGE = "micro-canary/addressbook:0.1.0";
    private static final String NEW_IMAGE = "micro-canary/addressbook:4f2a9c1";

    private FakeKubernetes k8s;
    private Harness canary;

    @BeforeEach
    void cluster() throws IOException {
        k8s = new FakeKubernetes();
        k8s.givenDeployment(stable("addressbook", STABLE_IMAGE, 3, 3000));
        k8s.behaviour(image -> switch (image.substring(image.lastIndexOf(':') + 1)) {
            case "crash" -> Behaviour.CRASH_LOOP;
            case "missing" -> Behaviour.IMAGE_PULL_FAILURE;
            case "unready" -> Behaviour.NEVER_READY;
            default -> Behaviour.HEALTHY;
        });
        canary = new Harness(k8s, new CanaryRelease.Settings(Duration.ofSeconds(30), Duration.ofSeconds(5)));
    }

    @AfterEach
    void close() throws IOException {
        k8s.close();
    }

    @Test
    void startRunsTheCanaryBesideAScaledDownStableAndSmokeChecksIt() {
        Harness.Result result = canary.run("start", "addressbook", "--image", NEW_IMAGE);

        assertEquals(0, result.exitCode(), result.toString());
        List<RecordedCall> writes = k8s.writes();
        assertEquals(List.of(
                "PATCH " + DEPLOYMENTS + "addressbook?fieldManager=micro-canary [application/merge-patch+json]",
                "PATCH " + DEPLOYMENTS + "addressbook-canary?fieldManager=micro-canary&force=true [application/apply-patch+yaml]",
                "PATCH " + DEPLOYMENTS + "addressbook?fieldManager=micro-canary [application/merge-patch+json]"),
                writes.stream().map(RecordedCall::toString).toList());
        assertEquals("{\"metadata\":{\"annotations\":{\"micro-canary.io/full-replicas\":\"3\"}}}", writes.get(0).body());
        assertEquals("{\"spec\":{\"replicas\":2}}", writes.get(2).body());
        String applied = writes.get(1).body();
        assertTrue(applied.contains("\"track\":\"canary\"") && applied.contains("\"image\":\"" + NEW_IMAGE + "\"")
                && applied.contains("\"replicas\":1") && !applied.contains("\"status\""), applied);

        List<String> execs = k8s.calls().stream().filter(call -> call.path().endsWith("/exec"))
                .map(RecordedCall::query).toList();
        assertEquals(2, execs.size(), execs.toString());
        assertTrue(execs.get(0).contains("command=ping") && execs.get(0).contains("container=app"), execs.get(0));
        assertTrue(execs.get(1).contains("command=migrate"), execs.get(1));
        assertTrue(result.out().contains("smoke check 'ping' passed in addressbook-canary-"), result.out());
        assertTrue(result.out().contains("smoke check 'migrate' passed"), result.out());
        assertTrue(result.out().contains("canary of addressbook is live: 1 of 3 pods (33%) run " + NEW_IMAGE), result.out());
        assertTrue(result.out().contains("waiting for addressbook-canary: 0/1 ready"), "progress is printed: " + result.out());

        assertEquals(2, k8s.replicas("addressbook"));
        assertEquals(1, k8s.replicas("addressbook-canary"));
        assertEquals("3", annotation("addressbook", "micro-canary.io/full-replicas"));
    }

    @Test
    void aSinglePodStableKeepsItsPodBesideTheCanary() {
        k8s.givenDeployment(stable("addressbook", STABLE_IMAGE, 1, 3000));

        Harness.Result result = canary.run("start", "addressbook", "--image", NEW_IMAGE);

        assertEquals(0, result.exitCode(), result.toString());
        assertEquals(1, k8s.replicas("addressbook"));
        assertTrue(result.out().contains("canary of addressbook is live: 1 of 2 pods (50%)"), result.out());
        assertSucceeds(canary.run("abort", "addressbook"));
        assertEquals(1, k8s.replicas("addressbook"));
    }

    @Test
    void promoteRollsStableToTheCanaryImageThenDeletesTheCanary() {
        assertSucceeds(canary.run("start", "addressbook", "--image", NEW_IMAGE));
        k8s.clearCalls();

        Harness.Result result = canary.run("promote", "addressbook");

        assertEquals(0, result.exitCode(), result.toString());
        List<RecordedCall> writes = k8s.writes();
        assertEquals(List.of(
                "PATCH " + DEPLOYMENTS + "addressbook?fieldManager=micro-canary&force=true [application/apply-patch+yaml]",
                "DELETE " + DEPLOYMENTS + "addressbook-canary?propagationPolicy=Foreground [application/json]",
                "PATCH " + DEPLOYMENTS + "addressbook?fieldManager=micro-canary [application/merge-patch+json]"),
                writes.stream().map(RecordedCall::toString).toList());
        assertTrue(writes.get(0).body().contains("\"image\":\"" + NEW_IMAGE + "\"") && writes.get(0).body()
                .contains("\"replicas\":3"), writes.get(0).body());
        assertEquals("{\"metadata\":{\"annotations\":{\"micro-canary.io/full-replicas\":null}}}", writes.get(2).body());

        assertEquals(NEW_IMAGE, k8s.image("addressbook"));
        assertEquals(3, k8s.replicas("addressbook"));
        assertNull(k8s.deployment("addressbook-canary"));
        assertNull(annotation("addressbook", "micro-canary.io/full-replicas"));
        assertTrue(result.out().contains("promoted: addressbook runs " + NEW_IMAGE + " on 3 pods"), result.out());
    }

    @Test
    void abortRestoresStableAndIsSafeToRepeat() {
        assertSucceeds(canary.run("start", "addressbook", "--image", NEW_IMAGE));

        Harness.Result first = canary.run("abort", "addressbook");
        assertEquals(0, first.exitCode(), first.toString());
        assertNull(k8s.deployment("addressbook-canary"));
        assertEquals(3, k8s.replicas("addressbook"));
        assertEquals(STABLE_IMAGE, k8s.image("addressbook"));
        assertNull(annotation("addressbook", "micro-canary.io/full-replicas"));

        Harness.Result again = canary.run("rollback", "addressbook");
        assertEquals(0, again.exitCode(), again.toString());
        assertTrue(again.out().contains("no canary of addressbook to delete"), again.out());
        assertTrue(again.out().contains("stable addressbook at full strength: 3 pods run " + STABLE_IMAGE), again.out());
    }

    @Test
    void anInterruptedRunIsUndoneByAbortFromAnotherRun() {
        assertSucceeds(canary.run("start", "addressbook", "--image", NEW_IMAGE));
        // the run that was aborting died after deleting the canary and before scaling stable back
        k8s.deleteDeployment("addressbook-canary");
        assertEquals(2, k8s.replicas("addressbook"));

        Harness.Result result = canary.run("abort", "addressbook");

        assertEquals(0, result.exitCode(), result.toString());
        assertEquals(3, k8s.replicas("addressbook"), "the full count was kept on stable itself");
        assertTrue(result.out().contains("stable addressbook scaled back to 3"), result.out());
    }

    @Test
    void aCrashLoopingCanaryIsAbortedWithinSecondsShowingItsLogs() {
        Harness.Result result = canary.run("start", "addressbook", "--image", "micro-canary/addressbook:crash");

        assertEquals(1, result.exitCode(), result.toString());
        assertTrue(result.took().toSeconds() < 10, "fails fast, not at the 30 s deadline: " + result.took());
        assertTrue(result.out().contains("canary failed: pod addressbook-canary-"), result.out());
        assertTrue(result.out().contains("is in CrashLoopBackOff"), result.out());
        assertTrue(result.out().contains("DB_PASSWORD is not set"), "the pod's last log lines: " + result.out());
        assertStableUntouched();
    }

    @Test
    void anImageThatCannotBePulledIsAbortedWithinSeconds() {
        Harness.Result result = canary.run("start", "addressbook", "--image", "micro-canary/addressbook:missing");

        assertEquals(1, result.exitCode(), result.toString());
        assertTrue(result.took().toSeconds() < 10, result.took().toString());
        assertTrue(result.out().contains("is in ErrImagePull") || result.out().contains("is in ImagePullBackOff"),
                result.out());
        assertStableUntouched();
    }

    @Test
    void aCanaryThatNeverBecomesReadyIsAbortedAtTheReadinessDeadline() {
        Harness.Result result = canary.run("start", "addressbook", "--image", "micro-canary/addressbook:unready");

        assertEquals(1, result.exitCode(), result.toString());
        assertTrue(result.out().contains("has failed its readiness probe for over 5s"), result.out());
        assertTrue(result.out().contains("readiness: database not reachable"), result.out());
        assertStableUntouched();
    }

    @Test
    void aFailedMigrationAbortsTheCanary() {
        k8s.exec(command -> command.get(command.size() - 1).equals("migrate")
                ? new FakeKubernetes.ExecAnswer(1, "migration V3 failed: column \"email\" already exists\n")
                : new FakeKubernetes.ExecAnswer(0, "database answered\n"));

        Harness.Result result = canary.run("start", "addressbook", "--image", NEW_IMAGE);

        assertEquals(1, result.exitCode(), result.toString());
        assertTrue(result.out().contains("smoke check 'migrate' failed in addressbook-canary-"), result.out());
        assertTrue(result.out().contains("(exit 1): migration V3 failed"), result.out());
        assertNull(k8s.deployment("addressbook-canary"));
        assertEquals(3, k8s.replicas("addressbook"));
    }

    @Test
    void smokeChecksThatFinishAtOnceStillCountByTheirExitCode() {
        // the WebSocket may close before the harness asks for the output; the exit status must still decide
        k8s.execTime(Duration.ZERO);

        for (int run = 0; run < 3; run++) {
            assertSucceeds(canary.run("start", "addressbook", "--image", NEW_IMAGE));
            assertSucceeds(canary.run("abort", "addressbook"));
        }
        assertEquals(3, k8s.replicas("addressbook"));
    }

    @Test
    void anApiServerFailureHalfWayAbortsTheCanary() {
        // listing the canary's pods fails while it starts; the rest of the API keeps working
        k8s.failRequests(call -> call.method().equals("GET") && call.path().endsWith("/pods")
                && call.query() != null && call.query().contains("track=canary"));

        Harness.Result result = canary.run("start", "addressbook", "--image", NEW_IMAGE);

        assertEquals(1, result.exitCode(), result.toString());
        assertTrue(result.out().contains("canary failed: could not list pods"), result.out());
        assertTrue(result.out().contains("etcdserver: request timed out"), result.out());
        assertStableUntouched();
    }

    @Test
    void aSecondCanaryWithAnotherImageIsRefused() {
        assertSucceeds(canary.run("start", "addressbook", "--image", NEW_IMAGE));

        Harness.Result result = canary.run("start", "addressbook", "--image", "micro-canary/addressbook:other");

        assertEquals(1, result.exitCode(), result.toString());
        assertTrue(result.err().contains("a canary of addressbook with " + NEW_IMAGE + " is already running"), result.err());
        assertEquals(NEW_IMAGE, k8s.image("addressbook-canary"));
    }

    @Test
    void aServiceThatWasNeverDeployedIsAClearError() {
        Harness.Result result = canary.run("start", "nosuch", "--image", NEW_IMAGE);

        assertEquals(1, result.exitCode());
        assertEquals("error: deployment nosuch not found in namespace micro-canary: deploy it first (canary deploy nosuch)\n",
                result.err());
        assertTrue(k8s.writes().isEmpty());
    }

    private void assertStableUntouched() {
        assertNull(k8s.deployment("addressbook-canary"), "the canary was deleted");
        assertEquals(3, k8s.replicas("addressbook"));
        assertFalse(k8s.writes().stream().anyMatch(call -> call.body().contains("\"replicas\":2")),
                "stable was never scaled down for a canary that did not come up");
    }



    private String annotation(String deployment, String key) {
        JsonObject annotations = k8s.deployment(deployment).getAsJsonObject("metadata").getAsJsonObject("annotations");
        return annotations == null || !annotations.has(key) ? null : annotations.get(key).getAsString();
    }

    private static void assertSucceeds(Harness.Result result) {
        assertEquals(0, result.exitCode(), result::toString);
    }
}
