package io.microcanary.k8s;

import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1PodTemplateSpec;
import io.kubernetes.client.openapi.models.V1Probe;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1ServicePort;
import io.kubernetes.client.openapi.models.V1StatefulSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The rules every object of the full minikube variant must follow, checked on the typed objects. */
class PolicyTest {

    private static final Pattern SECRET_NAME = Pattern.compile(".*(PASSWORD|SECRET|_KEY|TOKEN).*");

    private static List<KubernetesObject> objects;

    @BeforeAll
    static void render() throws Exception {
        objects = Rendered.render("k8s/overlays/minikube-full");
    }

    @Test
    void everyServiceDeploymentIsLabelledForACanary() {
        for (V1Deployment deployment : all(V1Deployment.class)) {
            String name = deployment.getMetadata().getName();
            Map<String, String> labels = deployment.getSpec().getTemplate().getMetadata().getLabels();
            assertEquals(name, labels.get("app"), name);
            assertEquals("stable", labels.get("track"), name);
            assertNotNull(labels.get("version"), name);
            deployment.getSpec().getSelector().getMatchLabels().forEach((key, value) ->
                    assertEquals(value, labels.get(key), name + ": the selector must match the template's " + key));
        }
    }

    @Test
    void everyContainerHasProbesWithKubernetesMeanings() {
        for (V1Deployment deployment : all(V1Deployment.class)) {
            V1Container app = container(deployment.getSpec().getTemplate(), deployment.getMetadata().getName());
            assertHttpProbe(app.getReadinessProbe(), "/health/readiness", app);
            assertHttpProbe(app.getLivenessProbe(), "/health/liveness", app);
            assertHttpProbe(app.getStartupProbe(), "/health/liveness", app);
        }
        for (V1StatefulSet store : all(V1StatefulSet.class)) {
            V1Container container = store.getSpec().getTemplate().getSpec().getContainers().get(0);
            assertNotNull(container.getReadinessProbe(), store.getMetadata().getName() + " has a readiness probe");
        }
    }

    /**
     * A pod is ready no sooner than the startup probe's first success (the kubelet then runs the readiness probe at
     * once), so its period is time every start, rollout and canary waits; the budget must still cover a slow start.
     */
    @Test
    void theStartupProbeChecksEverySecondForAMinute() {
        for (V1Deployment deployment : all(V1Deployment.class)) {
            String name = deployment.getMetadata().getName();
            V1Probe startup = container(deployment.getSpec().getTemplate(), name).getStartupProbe();
            assertEquals(1, startup.getPeriodSeconds(), name);
            assertEquals(60, startup.getPeriodSeconds() * startup.getFailureThreshold(), name + ": seconds allowed to start");
        }
    }

    @Test
    void everyContainerIsHardenedAndBounded() {
        for (V1Deployment deployment : all(V1Deployment.class)) {
            String name = deployment.getMetadata().getName();
            var pod = deployment.getSpec().getTemplate().getSpec();
            V1Container app = container(deployment.getSpec().getTemplate(), name);
            assertEquals(Boolean.TRUE, pod.getSecurityContext().getRunAsNonRoot(), name);
            assertEquals("RuntimeDefault", pod.getSecurityContext().getSeccompProfile().getType(), name);
            assertEquals(Boolean.FALSE, pod.getAutomountServiceAccountToken(), name + " needs no service-account token");
            assertEquals(Boolean.TRUE, app.getSecurityContext().getReadOnlyRootFilesystem(), name);
            assertEquals(Boolean.FALSE, app.getSecurityContext().getAllowPrivilegeEscalation(), name);
            assertEquals(List.of("ALL"), app.getSecurityContext().getCapabilities().getDrop(), name);
            assertTrue(app.getVolumeMounts().stream().anyMatch(m -> m.getMountPath().equals("/tmp")), name + " has a writable /tmp");
            assertNotNull(app.getResources().getRequests().get("cpu"), name);
            assertNotNull(app.getResources().getRequests().get("memory"), name);
            assertNotNull(app.getResources().getLimits().get("memory"), name);
            assertTrue(app.getImage().matches(".+:[0-9][^:]*") && !app.getImage().endsWith(":latest"),
                    name + " has an explicit version tag: " + app.getImage());
        }
    }

    @Test
    void everyServiceSelectsByAppAndTargetsARealContainerPort() {
        for (V1Service service : all(V1Service.class)) {
            String name = service.getMetadata().getName();
            assertEquals(List.of("app"), new ArrayList<>(service.getSpec().getSelector().keySet().stream()
                    .filter(key -> !key.equals("locale")).toList()), name + " selects app (and locale) only");
            V1PodTemplateSpec template = workloadFor(service).orElseThrow(() -> new AssertionError(name + " selects no workload"));
            for (V1ServicePort port : service.getSpec().getPorts()) {
                String target = port.getTargetPort().getStrValue();
                assertTrue(template.getSpec().getContainers().stream().flatMap(c -> c.getPorts().stream())
                        .anyMatch(p -> target.equals(p.getName())), name + ": no container port named " + target);
            }
        }
    }

    @Test
    void everySecretReferenceResolvesAndNoSecretIsInPlainText() {
        List<V1Secret> secrets = all(V1Secret.class);
        List<V1Container> containers = new ArrayList<>();
        all(V1Deployment.class).forEach(d -> containers.addAll(d.getSpec().getTemplate().getSpec().getContainers()));
        all(V1StatefulSet.class).forEach(s -> containers.addAll(s.getSpec().getTemplate().getSpec().getContainers()));
        int references = 0;
        for (V1Container container : containers) {
            for (V1EnvVar env : Optional.ofNullable(container.getEnv()).orElse(List.of())) {
                if (SECRET_NAME.matcher(env.getName()).matches()) {
                    assertTrue(env.getValue() == null, env.getName() + " is given in plain text");
                }
                if (env.getValueFrom() != null && env.getValueFrom().getSecretKeyRef() != null) {
                    references++;
                    var ref = env.getValueFrom().getSecretKeyRef();
                    assertTrue(secrets.stream().anyMatch(s -> s.getMetadata().getName().equals(ref.getName())
                            && s.getData() != null && s.getData().containsKey(ref.getKey())),
                            env.getName() + " refers to " + ref.getName() + "/" + ref.getKey() + ", which is not generated");
                }
            }
        }
        // addressbook 4 (app and owner roles), both carts 1, postgres 5 (superuser, both roles for its bootstrap),
        // redis 2, mongo 2, webapp 1, eventservice 3, auditservice 2 (StoreCredentialsPolicyTest checks which)
        assertEquals(21, references, "the services and stores that read secrets");
    }

    /**
     * A terminating pod drains (service-support: unready, serving for the drain delay, then requests in flight get
     * up to 15 s) and the kubelet waits for all of that before SIGKILL; no preStop hook, since the distroless images
     * have no shell or sleep and Kubernetes 1.28 has no sleep action. Replicas prefer different nodes, softly.
     */
    @Test
    void everyPodDrainsBeforeItIsKilledAndPrefersItsOwnNode() {
        for (V1Deployment deployment : all(V1Deployment.class)) {
            String name = deployment.getMetadata().getName();
            var pod = deployment.getSpec().getTemplate().getSpec();
            V1Container app = container(deployment.getSpec().getTemplate(), name);
            String drain = app.getEnv().stream().filter(e -> e.getName().equals("MICRO_CANARY_SHUTDOWN_DRAIN_DELAY"))
                    .map(V1EnvVar::getValue).findFirst().orElseThrow(() -> new AssertionError(name + " sets no drain delay"));
            long drainSeconds = java.time.Duration.parse("PT" + drain.toUpperCase(java.util.Locale.ROOT)).toSeconds();
            assertTrue(drainSeconds >= 5, name + ": a drain delay of " + drain + " is shorter than endpoint propagation");
            assertTrue(pod.getTerminationGracePeriodSeconds() >= drainSeconds + 15 + 5, name + ": terminationGracePeriodSeconds "
                    + pod.getTerminationGracePeriodSeconds() + " < drain " + drain + " + 15 s in flight + 5 s to stop");
            assertTrue(app.getLifecycle() == null || app.getLifecycle().getPreStop() == null,
                    name + ": a preStop hook cannot run in a distroless image; the drain is the application's");
            var spread = Optional.ofNullable(pod.getTopologySpreadConstraints()).orElse(List.of()).stream()
                    .filter(c -> c.getTopologyKey().equals("kubernetes.io/hostname")).findFirst()
                    .orElseThrow(() -> new AssertionError(name + " does not spread across nodes"));
            assertEquals("ScheduleAnyway", spread.getWhenUnsatisfiable(), name + ": a single-node cluster must still schedule");
            assertEquals(List.of("app"), spread.getMatchLabelKeys(), name + " spreads its own app's pods");
        }
    }

    private static void assertHttpProbe(V1Probe probe, String path, V1Container container) {
        assertNotNull(probe, container.getImage() + " lacks a probe on " + path);
        assertEquals(path, probe.getHttpGet().getPath(), container.getImage());
        String port = probe.getHttpGet().getPort().getStrValue();
        assertTrue(container.getPorts().stream().anyMatch(p -> port.equals(p.getName())), "probe port " + port + " exists");
    }

    private static V1Container container(V1PodTemplateSpec template, String name) {
        List<V1Container> containers = template.getSpec().getContainers();
        assertEquals(1, containers.size(), name);
        assertFalse(containers.get(0).getPorts().isEmpty(), name);
        return containers.get(0);
    }

    private static Optional<V1PodTemplateSpec> workloadFor(V1Service service) {
        List<V1PodTemplateSpec> templates = new ArrayList<>();
        all(V1Deployment.class).forEach(d -> templates.add(d.getSpec().getTemplate()));
        all(V1StatefulSet.class).forEach(s -> templates.add(s.getSpec().getTemplate()));
        return templates.stream().filter(t -> t.getMetadata().getLabels().entrySet()
                .containsAll(service.getSpec().getSelector().entrySet())).findFirst();
    }

    private static <T> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }
}
