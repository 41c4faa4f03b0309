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
            assertNotNull(app.getStartupProbe(), deployment.getMetadata().getName() + " has a startup probe");
        }
        for (V1StatefulSet store : all(V1StatefulSet.class)) {
            V1Container container = store.getSpec().getTemplate().getSpec().getContainers().get(0);
            assertNotNull(container.getReadinessProbe(), store.getMetadata().getName() + " has a readiness probe");
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
        assertEquals(4, references, "addressbook, both stores and postgres read secrets");
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
