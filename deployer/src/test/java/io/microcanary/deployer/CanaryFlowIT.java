package io.microcanary.deployer;

import com.google.gson.JsonObject;
import io.microcanary.deployer.emulation.Behaviour;
import io.microcanary.deployer.emulation.FakeKubernetes;
import io.microcanary.deployer.emulation.Golden;
import io.microcanary.deployer.emulation.Harness;
import io.microcanary.deployer.emulation.Kubectl;
import io.microcanary.deployer.emulation.RecordedCall;
import io.microcanary.deployer.release.CanaryRelease;
import io.microcanary.deployer.rollout.FakeTicker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
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
    private static final String STABLE_IMAGE = "micro-canary/addressbook:0.1.0-1a2b3c4";
    private static final String NEW_IMAGE = "micro-canary/addressbook:0.1.0-4f2a9c1";

    private FakeKubernetes k8s;
    private Harness canary;

    @BeforeEach
    void cluster() throws IOException {
        k8s = new FakeKubernetes(new FakeTicker());
        k8s.givenDeployment(stable("addressbook", STABLE_IMAGE, 3, 3000));
        k8s.behaviour(image -> switch (image.substring(image.lastIndexOf(':') + 1)) {
            case "unschedulable" -> Behaviour.UNSCHEDULABLE;
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
                "PATCH " + DEPLOYMENTS + "addressbook-canary?fieldManager=micro-canary&force=true [application/apply-patch+yaml]",
                "PATCH " + DEPLOYMENTS + "addressbook?fieldManager=micro-canary [application/merge-patch+json]"),
                writes.stream().map(RecordedCall::toString).toList());
        Golden.assertBody("start/1-apply-addressbook-canary.json", writes.get(0).body());
        Golden.assertBody("start/2-scale-addressbook.json", writes.get(1).body());

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
        assertEquals("3", annotation("addressbook-canary", "micro-canary.io/stable-replicas"),
                "the release's state is on the canary");
        assertNoReleaseStateOnStable();
    }

    @Test
    void smokeChecksPrintOneLinePerCheckNotTheCommandsLog() {
        k8s.exec(command -> new FakeKubernetes.ExecAnswer(0, "22:01:07.118 [main] INFO  i.m.c.DefaultBeanContext - "
                + "Reading bootstrap environment configuration\n22:01:07.402 [main] INFO  o.f.c.FlywayExecutor - "
                + "Database: jdbc:postgresql://postgres:5432/addressbook\n"
                + (command.get(command.size() - 1).equals("ping") ? "Connection has been established successfully.\n"
                : "Migrations applied: 0; schema version: 2\n")));

        Harness.Result result = canary.run("start", "addressbook", "--image", NEW_IMAGE);

        assertEquals(0, result.exitCode(), result.toString());
        List<String> checks = result.out().lines().filter(line -> line.startsWith("smoke check")).toList();
        assertEquals(2, checks.size(), result.out());
        assertTrue(checks.get(0).matches("smoke check 'ping' passed in addressbook-canary-\\S+: Connection has been "
                + "established successfully\\."), checks.get(0));
        assertTrue(checks.get(1).endsWith(": Migrations applied: 0; schema version: 2"), checks.get(1));
        assertFalse(result.out().contains("DefaultBeanContext"), result.out());
    }

    @Test
    void aCanaryApplyTheServerRefusesAbortsAndLeavesStableExactlyAsItWas() {
        JsonObject before = k8s.deployment("addressbook");
        k8s.failRequests(call -> call.method().equals("PATCH") && call.path().endsWith("/addressbook-canary"));

        Harness.Result result = canary.run("start", "addressbook", "--image", NEW_IMAGE);

        assertEquals(1, result.exitCode(), result.toString());
        assertTrue(result.out().contains("canary failed: could not apply deployment addressbook-canary"), result.out());
        assertTrue(result.out().contains("no canary of addressbook to delete"), result.out());
        assertTrue(k8s.writes().stream().noneMatch(call -> call.path().endsWith("/deployments/addressbook")),
                "nothing was written to stable: " + k8s.writes());
        assertEquals(before.get("spec"), k8s.deployment("addressbook").get("spec"));
        assertEquals(before.getAsJsonObject("metadata").get("annotations"),
                k8s.deployment("addressbook").getAsJsonObject("metadata").get("annotations"));
    }

    @Test
    void anAbortStoppedBeforeItDeletedTheCanaryIsFinishedByTheNextRun() {
        assertSucceeds(canary.run("start", "addressbook", "--image", NEW_IMAGE));
        k8s.failRequests(call -> call.method().equals("DELETE"));

        Harness.Result stopped = canary.run("abort", "addressbook");

        assertEquals(1, stopped.exitCode(), stopped.toString());
        assertEquals(3, k8s.replicas("addressbook"), "stable was restored first");
        assertEquals("3", annotation("addressbook-canary", "micro-canary.io/stable-replicas"), "the state is still there");

        k8s.failRequests(call -> false);
        Harness.Result finished = canary.run("abort", "addressbook");

        assertEquals(0, finished.exitCode(), finished.toString());
        assertNull(k8s.deployment("addressbook-canary"));
        assertEquals(3, k8s.replicas("addressbook"));
    }

    @Test
    void aStartStoppedAfterScalingStableDownIsUndoneByAbortFromAnotherRun() {
        assertSucceeds(canary.run("start", "addressbook", "--image", NEW_IMAGE));
        // as if the run had died here: canary up, stable at 2
        assertEquals(2, k8s.replicas("addressbook"));

        Harness.Result result = canary.run("abort", "addressbook");

        assertEquals(0, result.exitCode(), result.toString());
        assertEquals(3, k8s.replicas("addressbook"), "the full count was kept on the canary");
        assertTrue(result.out().contains("stable addressbook scaled back to 3"), result.out());
    }

    @Test
    void releaseStateDoesNotComeBackAfterRolloutUndoAndFollowsDeployAndScale() throws IOException {
        Kubectl kubectl = new Kubectl(k8s);
        assertSucceeds(canary.run("start", "addressbook", "--image", NEW_IMAGE));
        assertSucceeds(canary.run("promote", "addressbook"));
        kubectl.rolloutUndo("addressbook"); // the tutorial's step 10

        assertEquals(STABLE_IMAGE, k8s.image("addressbook"));
        assertNoReleaseStateOnStable();

        assertSucceeds(canary.run("deploy", "addressbook", "--replicas", "4", "--manifests", manifest()));
        assertEquals(STABLE_IMAGE, k8s.image("addressbook"), "deploy without --image keeps the image that runs");
        Harness.Result second = canary.run("start", "addressbook", "--image", "micro-canary/addressbook:0.1.0-5e6f7a8");
        assertEquals(0, second.exitCode(), second.toString());
        assertTrue(second.out().contains("1 of 4 pods"), second.out());
        assertEquals(3, k8s.replicas("addressbook"));
        assertSucceeds(canary.run("abort", "addressbook"));
        assertEquals(4, k8s.replicas("addressbook"), "abort restores what deploy set, not an old count");

        kubectl.scale("addressbook", 5);
        Harness.Result third = canary.run("start", "addressbook", "--image", "micro-canary/addressbook:0.1.0-5e6f7a8");
        assertTrue(third.out().contains("1 of 5 pods"), third.out());
        assertSucceeds(canary.run("abort", "addressbook"));
        assertEquals(5, k8s.replicas("addressbook"));
        assertNoReleaseStateOnStable();
    }

    @Test
    void theImageStableRunsWithoutAnEnvChangeIsNoReleaseUnlessForced() {
        Harness.Result refused = canary.run("start", "addressbook", "--image", STABLE_IMAGE);

        assertEquals(1, refused.exitCode());
        assertEquals("error: stable addressbook already runs " + STABLE_IMAGE + ": a canary of the same image releases "
                + "nothing (build a new image, or pass --force to rehearse the flow with it)\n", refused.err());
        assertTrue(k8s.writes().isEmpty());

        assertSucceeds(canary.run("start", "addressbook", "--image", STABLE_IMAGE, "--env", "LOG_LEVEL=debug"));
        assertSucceeds(canary.run("abort", "addressbook"));
        assertSucceeds(canary.run("start", "addressbook", "--image", STABLE_IMAGE, "--force"));
    }

    @Test
    void stepsWithAOnePodStableAreRefusedRatherThanSendingEveryRequestToTheCanary() {
        k8s.givenDeployment(stable("addressbook", STABLE_IMAGE, 1, 3000));
        assertSucceeds(canary.run("start", "addressbook", "--image", NEW_IMAGE));
        k8s.clearCalls();

        Harness.Result result = canary.run("steps", "addressbook", "--weights", "25,50");

        assertEquals(1, result.exitCode());
        assertTrue(result.err().contains("stable addressbook has 1 replica: traffic moves in whole pods"), result.err());
        assertTrue(k8s.writes().isEmpty(), k8s.writes().toString());
        assertEquals(1, k8s.replicas("addressbook"));
    }

    @Test
    void stepsScaleTheCanaryUpBeforeStableDown() {
        assertSucceeds(canary.run("deploy", "addressbook", "--replicas", "4", "--manifests", manifest()));
        assertSucceeds(canary.run("start", "addressbook", "--image", NEW_IMAGE));
        k8s.clearCalls();

        Harness.Result result = canary.run("steps", "addressbook", "--weights", "50");

        assertEquals(0, result.exitCode(), result.toString());
        List<RecordedCall> writes = k8s.writes();
        assertEquals(List.of(
                "PATCH " + DEPLOYMENTS + "addressbook-canary?fieldManager=micro-canary [application/merge-patch+json]",
                "PATCH " + DEPLOYMENTS + "addressbook?fieldManager=micro-canary [application/merge-patch+json]"),
                writes.stream().map(RecordedCall::toString).toList());
        Golden.assertBody("steps/1-scale-addressbook-canary.json", writes.get(0).body());
        Golden.assertBody("steps/2-scale-addressbook.json", writes.get(1).body());
        assertEquals(2, k8s.replicas("addressbook-canary"));
        assertEquals(2, k8s.replicas("addressbook"));
    }

    @Test
    void deployAppliesExactlyWhatTheManifestSays() {
        k8s.deleteDeployment("addressbook");

        Harness.Result result = canary.run("deploy", "addressbook", "--manifests", manifest());

        assertEquals(0, result.exitCode(), result.toString());
        List<RecordedCall> writes = k8s.writes();
        assertEquals(List.of("PATCH " + DEPLOYMENTS
                + "addressbook?fieldManager=micro-canary&force=true [application/apply-patch+yaml]"),
                writes.stream().map(RecordedCall::toString).toList());
        Golden.assertBody("deploy/1-apply-addressbook.json", writes.get(0).body());
        assertEquals("micro-canary/addressbook:0.1.0-1a2b3c4", k8s.image("addressbook"),
                "a first deploy runs the manifest's image");
    }

    @Test
    void anUnschedulableCanaryIsAbortedNamingTheReason() {
        Harness.Result result = canary.run("start", "addressbook", "--image", "micro-canary/addressbook:unschedulable");

        assertEquals(1, result.exitCode(), result.toString());
        assertTrue(result.out().contains("cannot be scheduled: 0/1 nodes are available: 1 Insufficient memory."),
                result.out());
        assertStableUntouched();
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
                "PATCH " + DEPLOYMENTS + "addressbook?fieldManager=micro-canary [application/json-patch+json]",
                "DELETE " + DEPLOYMENTS + "addressbook-canary?propagationPolicy=Foreground [application/json]"),
                writes.stream().map(RecordedCall::toString).toList());
        Golden.assertBody("promote/1-patch-addressbook.json", writes.get(0).body());

        assertEquals(NEW_IMAGE, k8s.image("addressbook"));
        assertEquals(3, k8s.replicas("addressbook"));
        assertNull(k8s.deployment("addressbook-canary"), "deleted, not only being deleted, when promote returns");
        assertTrue(result.out().contains("canary addressbook-canary deleted\npromoted: addressbook runs " + NEW_IMAGE
                + " on 3 pods"), result.out());
    }

    @Test
    void abortRestoresStableAndIsSafeToRepeat() {
        assertSucceeds(canary.run("start", "addressbook", "--image", NEW_IMAGE));
        k8s.clearCalls();

        Harness.Result first = canary.run("abort", "addressbook");
        assertEquals(0, first.exitCode(), first.toString());
        List<RecordedCall> writes = k8s.writes();
        assertEquals(List.of(
                "PATCH " + DEPLOYMENTS + "addressbook?fieldManager=micro-canary [application/merge-patch+json]",
                "DELETE " + DEPLOYMENTS + "addressbook-canary?propagationPolicy=Foreground [application/json]"),
                writes.stream().map(RecordedCall::toString).toList(), "stable is restored before the canary goes");
        Golden.assertBody("abort/1-scale-addressbook.json", writes.get(0).body());
        assertNull(k8s.deployment("addressbook-canary"));
        assertEquals(3, k8s.replicas("addressbook"));
        assertEquals(STABLE_IMAGE, k8s.image("addressbook"));

        Harness.Result again = canary.run("rollback", "addressbook");
        assertEquals(0, again.exitCode(), again.toString());
        assertTrue(again.out().contains("no canary of addressbook to delete"), again.out());
        assertTrue(again.out().contains("stable addressbook at full strength: 3 pods run " + STABLE_IMAGE), again.out());
    }

    @Test
    void aCrashLoopingCanaryIsAbortedWithinSecondsShowingItsLogs() {
        Harness.Result result = canary.run("start", "addressbook", "--image", "micro-canary/addressbook:crash");

        assertEquals(1, result.exitCode(), result.toString());
        assertTrue(result.took().toSeconds() < 10, "fails fast, not at the 30 s deadline: " + result.took());
        assertTrue(result.out().contains("canary failed: pod addressbook-canary-"), result.out());
        assertTrue(result.out().contains("is in CrashLoopBackOff"), result.out());
        assertTrue(result.out().contains("Caused by: org.postgresql.util.PSQLException: FATAL: password authentication "
                + "failed for user \"addressbook\""), "the log lines that explain it: " + result.out());
        assertFalse(result.out().contains("\tat "), "stack frames are left out: " + result.out());
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
        assertTrue(result.took().compareTo(Duration.ofSeconds(5)) >= 0 && result.took().toSeconds() < 30,
                "at the 5 s readiness deadline, not before it nor at the 30 s rollout deadline: " + result.took());
        assertTrue(result.out().contains("readiness DOWN: database unreachable"), result.out());
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
        assertFalse(k8s.writes().stream().anyMatch(call -> call.path().endsWith("/deployments/addressbook")),
                "stable was never touched for a canary that did not come up: " + k8s.writes());
    }



    private void assertNoReleaseStateOnStable() {
        JsonObject annotations = k8s.deployment("addressbook").getAsJsonObject("metadata").getAsJsonObject("annotations");
        assertTrue(annotations == null || annotations.keySet().stream().noneMatch(key -> key.startsWith("micro-canary.io/")),
                "stable carries no release state: " + annotations);
    }

    private static String manifest() {
        return Path.of("src/test/resources/manifests/addressbook.yaml").toAbsolutePath().toString();
    }

    private String annotation(String deployment, String key) {
        JsonObject annotations = k8s.deployment(deployment).getAsJsonObject("metadata").getAsJsonObject("annotations");
        return annotations == null || !annotations.has(key) ? null : annotations.get(key).getAsString();
    }

    private static void assertSucceeds(Harness.Result result) {
        assertEquals(0, result.exitCode(), result::toString);
    }
}
