package io.microcanary.deployer;

import io.kubernetes.client.openapi.models.V1Deployment;
import io.microcanary.deployer.cli.CanaryCommand;
import io.microcanary.deployer.cli.ClientFactory;
import io.microcanary.deployer.cluster.Cluster;
import io.microcanary.deployer.release.CanaryRelease;
import io.microcanary.deployer.release.Tracks;
import io.microcanary.deployer.rollout.Waiter;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The harness against a real cluster (kind or minikube) where {@code ./minikube.sh up} has deployed the system.
 * Off by default: {@code ./mvnw verify -Pe2e -pl deployer}. It uses your kubeconfig's current context and fails,
 * rather than skips, when there is none. It releases addressbook's own stable image as a canary (smoke checks
 * with ping and migrate run for real), then aborts it, leaving the cluster as it found it.
 */
class CanaryE2E {

    @Test
    void aCanaryOfTheStableImagePassesItsSmokeChecksAndAbortRestoresStable() {
        ClientFactory.Connection connection = ClientFactory.KUBECONFIG.connect(null, null, null);
        Cluster cluster = new Cluster(connection.client(), connection.namespace());
        V1Deployment stable = cluster.deployment("addressbook").orElseThrow(() -> new AssertionError(
                "no addressbook Deployment in namespace " + connection.namespace() + ": run ./minikube.sh up first"));
        int replicas = stable.getSpec().getReplicas();

        assertEquals(0, canary("start", "addressbook", "--image", Tracks.image(stable)));
        assertEquals(0, canary("status", "addressbook"));
        assertEquals(0, canary("abort", "addressbook"));

        assertEquals(replicas, cluster.deployment("addressbook").orElseThrow().getSpec().getReplicas());
        assertEquals(java.util.Optional.empty(), cluster.deployment("addressbook-canary"));
    }

    private static int canary(String... args) {
        return CanaryCommand.run(ClientFactory.KUBECONFIG, System.out, System.err, Waiter.Ticker.SYSTEM,
                Duration.ofSeconds(2), CanaryRelease.Settings.defaults(), args);
    }
}
