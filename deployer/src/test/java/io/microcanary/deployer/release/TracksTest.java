package io.microcanary.deployer.release;

import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1DeploymentSpec;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1LabelSelector;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1PodTemplateSpec;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class TracksTest {

    @Test
    void theCanaryIsStableWithItsOwnNameTrackImageAndReplicas() {
        V1Deployment stable = stable();
        V1Deployment canary = Tracks.deriveCanary(stable, "micro-canary/addressbook:4f2a9c1", 1, Map.of());

        assertEquals("addressbook-canary", canary.getMetadata().getName());
        assertEquals(Map.of("app", "addressbook", "track", "canary", "version", "4f2a9c1"), canary.getMetadata().getLabels());
        assertEquals(Map.of(Tracks.CANARY_OF, "addressbook"), canary.getMetadata().getAnnotations());
        assertEquals(1, canary.getSpec().getReplicas());
        assertEquals(Map.of("app", "addressbook", "track", "canary"), canary.getSpec().getSelector().getMatchLabels());
        assertEquals(Map.of("app", "addressbook", "track", "canary", "version", "4f2a9c1"),
                canary.getSpec().getTemplate().getMetadata().getLabels());
        assertEquals("micro-canary/addressbook:4f2a9c1", Tracks.image(canary));
        assertEquals("busybox:1", canary.getSpec().getTemplate().getSpec().getContainers().get(0).getImage(),
                "only the app container changes");
        assertNull(canary.getMetadata().getResourceVersion(), "what the server set is not applied back");
        assertNull(canary.getStatus());
        assertEquals("micro-canary/addressbook:0.1.0", Tracks.image(stable), "stable itself is untouched");
    }

    @Test
    void environmentOverridesApplyToTheCanaryOnly() {
        V1Deployment stable = stable();
        stable.getSpec().getTemplate().getSpec().getContainers().get(1)
                .env(List.of(new V1EnvVar().name("FAULT_ERROR_RATE").value("0"), new V1EnvVar().name("PORT").value("3000")));

        V1Deployment canary = Tracks.deriveCanary(stable, "micro-canary/sava-product:4f2a9c1", 1,
                Map.of("FAULT_ERROR_RATE", "0.3"));

        assertEquals(List.of(new V1EnvVar().name("PORT").value("3000"), new V1EnvVar().name("FAULT_ERROR_RATE").value("0.3")),
                Tracks.appContainer(canary).getEnv());
        assertEquals("0", Tracks.appContainer(stable).getEnv().get(0).getValue());
    }

    @Test
    void promotionKeepsStablesIdentityAndDropsTheHarnessState() {
        V1Deployment promoted = Tracks.withImage(stable(), "micro-canary/addressbook:4f2a9c1", 3);
        assertEquals("addressbook", promoted.getMetadata().getName());
        assertEquals("stable", promoted.getSpec().getSelector().getMatchLabels().get("track"));
        assertEquals("4f2a9c1", promoted.getMetadata().getLabels().get("version"));
        assertEquals(3, promoted.getSpec().getReplicas());
        assertNull(promoted.getMetadata().getAnnotations());
    }

    @Test
    void versionsAreTagsMadeSafeForLabels() {
        assertEquals("4f2a9c1", Tracks.versionOf("registry:5000/micro-canary/addressbook:4f2a9c1"));
        assertEquals("untagged", Tracks.versionOf("registry:5000/micro-canary/addressbook"));
        assertEquals("sha256-abc", Tracks.versionOf("micro-canary/addressbook@sha256:abc"));
    }

    private static V1Deployment stable() {
        return new V1Deployment().apiVersion("apps/v1").kind("Deployment")
                .metadata(new V1ObjectMeta().name("addressbook").namespace("micro-canary").resourceVersion("42")
                        .labels(Map.of("app", "addressbook", "track", "stable", "version", "0.1.0"))
                        .annotations(Map.of(Tracks.FULL_REPLICAS, "3")))
                .spec(new V1DeploymentSpec().replicas(2)
                        .selector(new V1LabelSelector().matchLabels(Map.of("app", "addressbook", "track", "stable")))
                        .template(new V1PodTemplateSpec()
                                .metadata(new V1ObjectMeta().labels(Map.of("app", "addressbook", "track", "stable",
                                        "version", "0.1.0")))
                                .spec(new V1PodSpec().containers(List.of(
                                        new V1Container().name("sidecar").image("busybox:1"),
                                        new V1Container().name("app").image("micro-canary/addressbook:0.1.0"))))));
    }
}
