package io.microcanary.deployer;

import io.kubernetes.client.openapi.models.V1Deployment;
import io.microcanary.deployer.cli.CanaryCommand;
import io.microcanary.deployer.cli.ClientFactory;
import io.microcanary.deployer.cluster.Cluster;
import io.microcanary.deployer.release.CanaryRelease;
import io.microcanary.deployer.release.Tracks;
import io.microcanary.deployer.rollout.Ticker;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The tutorial's whole release flow against a real cluster (kind or minikube) where {@code ./minikube.sh up} has
 * deployed the system. Off by default: {@code E2E_NEW_TAG=<a tag built and loaded beside stable's> ./mvnw verify
 * -Pe2e -pl deployer}. It uses your kubeconfig's current context and fails, rather than skips, when there is no
 * cluster or no new image. It leaves addressbook on its original image and sava-product as it found it.
 */
class CanaryE2E {

    private final ClientFactory.Connection connection = ClientFactory.KUBECONFIG.connect(null, null, null);
    private final Cluster cluster = new Cluster(connection.client(), connection.namespace());

    @Test
    void deployStartStepsAnalyzePromoteTheBadReleaseRolloutUndoAndAFreshStart() throws Exception {
        V1Deployment stable = require("addressbook");
        String original = Tracks.image(stable);
        String newImage = original.substring(0, original.lastIndexOf(':') + 1) + newTag();
        int replicas = Math.max(4, stable.getSpec().getReplicas());

        assertEquals(0, canary("deploy", "addressbook", "--replicas", String.valueOf(replicas),
                "--manifests", "../k8s/overlays/minikube"));
        assertEquals(0, canary("start", "addressbook", "--image", newImage));
        assertEquals(0, canary("steps", "addressbook", "--weights", "50"));
        int analysis = canary("analyze", "addressbook", "--window", "20s", "--min-requests", "0");
        assertTrue(analysis == 0 || analysis == 3, "pass or, without traffic, inconclusive: " + analysis);
        assertEquals(0, canary("promote", "addressbook"));
        assertEquals(newImage, Tracks.image(require("addressbook")));
        assertEquals(Optional.empty(), cluster.deployment("addressbook-canary"));

        String catalogue = Tracks.image(require("sava-product"));
        assertEquals(1, canary("start", "sava-product", "--image", catalogue, "--force",
                "--env", "FAULT_ERROR_RATE=0.3", "--auto", "--window", "60s", "--min-requests", "20"),
                "the bad release is aborted by itself (needs store traffic: ./minikube.sh canary sava-product --bad sends it)");
        assertEquals(Optional.empty(), cluster.deployment("sava-product-canary"));

        kubectl("rollout", "undo", "deployment/addressbook", "-n", connection.namespace());
        kubectl("rollout", "status", "deployment/addressbook", "-n", connection.namespace(), "--timeout=3m");
        assertEquals(original, Tracks.image(require("addressbook")));
        var annotations = require("addressbook").getMetadata().getAnnotations();
        assertTrue(annotations == null || annotations.keySet().stream().noneMatch(k -> k.startsWith("micro-canary.io/")),
                "no release state came back with the undo: " + annotations);

        assertEquals(0, canary("start", "addressbook", "--image", newImage));
        assertTrue(cluster.deployment("addressbook").orElseThrow().getSpec().getReplicas() == replicas - 1);
        assertEquals(0, canary("abort", "addressbook"));
        assertEquals(replicas, require("addressbook").getSpec().getReplicas());
        assertEquals(Optional.empty(), cluster.deployment("addressbook-canary"));
    }

    private V1Deployment require(String name) {
        return cluster.deployment(name).orElseThrow(() -> new AssertionError("no " + name + " Deployment in namespace "
                + connection.namespace() + ": run ./minikube.sh up first"));
    }

    private static String newTag() {
        String tag = System.getenv("E2E_NEW_TAG");
        if (tag == null || tag.isBlank()) {
            throw new AssertionError("set E2E_NEW_TAG to a tag of the services' images that stable does not run and "
                    + "the cluster can pull (e.g. build one with ./minikube.sh after a commit)");
        }
        return tag;
    }

    private static void kubectl(String... args) throws IOException, InterruptedException {
        String[] command = new String[args.length + 1];
        command[0] = "kubectl";
        System.arraycopy(args, 0, command, 1, args.length);
        Process process = new ProcessBuilder(command).inheritIO().start();
        assertEquals(0, process.waitFor(), String.join(" ", command));
    }

    private static int canary(String... args) {
        return CanaryCommand.run(ClientFactory.KUBECONFIG, System.out, System.err, Ticker.SYSTEM,
                CanaryCommand.POLL_INTERVAL, CanaryRelease.Settings.defaults(), args);
    }
}
