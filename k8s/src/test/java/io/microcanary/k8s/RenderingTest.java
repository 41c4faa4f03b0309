package io.microcanary.k8s;

import io.microcanary.testsupport.Checkout;
import io.microcanary.testsupport.ServiceTable;

import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Ingress;
import io.kubernetes.client.openapi.models.V1NetworkPolicy;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1PodTemplateSpec;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1StatefulSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every variant renders, and everything in it is a typed Kubernetes object in the system's namespace. */
class RenderingTest {

    static final Set<String> SERVICES = Set.copyOf(ServiceTable.services());

    @ParameterizedTest
    @ValueSource(strings = {"k8s/base", "infrastructure/k8s", "k8s/overlays/minikube", "k8s/overlays/minikube-full",
            "k8s/overlays/registry"})
    void rendersIntoTypedObjectsInTheNamespace(String kustomization) throws Exception {
        List<KubernetesObject> objects = Rendered.render(kustomization);

        assertFalse(objects.isEmpty());
        for (KubernetesObject object : objects) {
            assertFalse(object.getClass().getSimpleName().startsWith("Map"), "untyped: " + object);
            if (!object.getKind().equals("Namespace")) {
                assertEquals("micro-canary", object.getMetadata().getNamespace(), object.getKind() + " " + object.getMetadata().getName());
            }
        }
    }

    @Test
    void minikubeRunsTheWholeSystem() throws Exception {
        List<KubernetesObject> objects = Rendered.render("k8s/overlays/minikube");

        assertEquals(SERVICES, names(objects, V1Deployment.class));
        assertEquals(Set.of("postgres", "mongo", "redis"), names(objects, V1StatefulSet.class));
        Set<String> services = names(objects, V1Service.class);
        assertTrue(services.containsAll(SERVICES) && services.containsAll(Set.of("postgres", "mongo", "redis")), services::toString);
        assertEquals(Set.of("webapp", "sava-cart-ie", "sava-cart-uk"), objects.stream().filter(V1Service.class::isInstance)
                .map(V1Service.class::cast).filter(s -> "NodePort".equals(s.getSpec().getType()))
                .map(s -> s.getMetadata().getName()).collect(Collectors.toSet()));
    }

    /**
     * The harness reads every pod's /health/readiness and /prometheus through the API server's pod proxy: each
     * service's port must admit a source outside the pod network, either any source or the control plane's range
     * (traffic from the pod's own node, kubelet probes and an on-node API server, is always admitted).
     */
    @Test
    void theNetworkPoliciesAdmitTheHarnessThroughTheApiServerToEveryService() throws Exception {
        List<KubernetesObject> objects = Rendered.render("k8s/overlays/minikube-full");
        List<V1NetworkPolicy> policies = objects.stream().filter(V1NetworkPolicy.class::isInstance).map(V1NetworkPolicy.class::cast).toList();
        for (V1Deployment deployment : objects.stream().filter(V1Deployment.class::isInstance).map(V1Deployment.class::cast).toList()) {
            Map<String, String> labels = deployment.getSpec().getTemplate().getMetadata().getLabels();
            int port = deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getPorts().get(0).getContainerPort();
            boolean admitted = policies.stream().filter(p -> selects(p, labels)).flatMap(p -> p.getSpec().getIngress().stream())
                    .filter(rule -> rule.getPorts() == null || rule.getPorts().isEmpty() || rule.getPorts().stream().anyMatch(p -> p.getPort().getIntValue() == port))
                    .anyMatch(rule -> rule.getFrom() == null || rule.getFrom().isEmpty() || rule.getFrom().stream().anyMatch(peer -> peer.getIpBlock() != null));
            assertTrue(admitted, deployment.getMetadata().getName() + ":" + port + " admits no source outside the pod network");
        }
    }

    private static boolean selects(V1NetworkPolicy policy, Map<String, String> labels) {
        var selector = policy.getSpec().getPodSelector();
        boolean matchLabels = selector.getMatchLabels() == null || labels.entrySet().containsAll(selector.getMatchLabels().entrySet());
        boolean expressions = selector.getMatchExpressions() == null || selector.getMatchExpressions().stream()
                .allMatch(e -> e.getOperator().equals("In") && e.getValues().contains(labels.get(e.getKey())));
        return matchLabels && expressions;
    }

    /**
     * Every Deployment with more than one replica has exactly one PodDisruptionBudget, selecting what its Service
     * selects (stable and canary pods together), that lets a node drain evict one pod at a time: never a budget that
     * allows no eviction, which would block drains and upgrades. (Rolling updates and the harness's scaling and
     * deleting are not evictions: no budget can block them.)
     */
    @ParameterizedTest
    @ValueSource(strings = {"k8s/base", "k8s/overlays/minikube", "k8s/overlays/minikube-full", "k8s/overlays/registry"})
    void everyReplicatedDeploymentHasABudgetThatLetsADrainProceed(String kustomization) throws Exception {
        List<KubernetesObject> objects = Rendered.render(kustomization);
        List<V1PodDisruptionBudget> budgets = objects.stream().filter(V1PodDisruptionBudget.class::isInstance)
                .map(V1PodDisruptionBudget.class::cast).toList();

        int replicated = 0;
        for (V1Deployment deployment : objects.stream().filter(V1Deployment.class::isInstance).map(V1Deployment.class::cast).toList()) {
            String name = deployment.getMetadata().getName();
            int replicas = deployment.getSpec().getReplicas();
            Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
            List<V1PodDisruptionBudget> selecting = budgets.stream().filter(b -> podLabels.entrySet()
                    .containsAll(b.getSpec().getSelector().getMatchLabels().entrySet())).toList();
            if (replicas <= 1) {
                continue;
            }
            replicated++;
            assertEquals(1, selecting.size(), name + " (" + replicas + " replicas) has one budget: " + selecting);
            var spec = selecting.get(0).getSpec();
            assertEquals(Map.of("app", name), spec.getSelector().getMatchLabels(),
                    name + ": the budget selects what the Service does, so a canary's pods count too");
            int evictable = spec.getMaxUnavailable() != null ? spec.getMaxUnavailable().getIntValue()
                    : replicas - spec.getMinAvailable().getIntValue();
            assertTrue(evictable >= 1, name + ": the budget allows no eviction, so no node could be drained");
            assertTrue(evictable < replicas, name + ": the budget lets a drain take every replica at once");
        }
        if (kustomization.equals("k8s/base")) {
            assertEquals(SERVICES.size(), replicated, "every service runs two replicas in the base");
        }
        for (V1PodDisruptionBudget budget : budgets) {
            assertTrue(SERVICES.contains(budget.getMetadata().getName()), "a budget for no service: " + budget.getMetadata());
        }
    }

    /** The registry component names every service image by the registry's name and pulls every pod with its secret. */
    @Test
    void theRegistryOverlayPullsEveryImageFromTheRegistryWithItsSecret() throws Exception {
        List<KubernetesObject> objects = Rendered.render("k8s/overlays/registry");

        List<V1PodTemplateSpec> pods = objects.stream().map(o -> o instanceof V1Deployment d ? d.getSpec().getTemplate()
                : o instanceof V1StatefulSet s ? s.getSpec().getTemplate() : null).filter(java.util.Objects::nonNull).toList();
        assertEquals(SERVICES.size() + 3, pods.size(), "every service and store");
        for (V1PodTemplateSpec pod : pods) {
            String app = pod.getMetadata().getLabels().get("app");
            assertEquals(List.of("registry-credentials"), pod.getSpec().getImagePullSecrets().stream()
                    .map(s -> s.getName()).toList(), app + " pulls with the registry's secret");
            if (SERVICES.contains(app)) {
                String image = pod.getSpec().getContainers().get(0).getImage();
                assertTrue(image.startsWith("registry.example.com/team/micro-canary/"), app + ": " + image);
            }
        }
    }

    @Test
    void aRollingUpdateNeverTakesTheOnlyPodDownBeforeItsSuccessorIsReady() throws Exception {
        List<KubernetesObject> objects = Rendered.render("k8s/overlays/minikube");

        for (V1Deployment deployment : objects.stream().filter(V1Deployment.class::isInstance).map(V1Deployment.class::cast).toList()) {
            String name = deployment.getMetadata().getName();
            assertEquals(1, deployment.getSpec().getReplicas(), name + " runs one replica on minikube");
            var rolling = deployment.getSpec().getStrategy().getRollingUpdate();
            assertEquals(0, rolling.getMaxUnavailable().getIntValue(), name + ": maxUnavailable 0, or an image that"
                    + " cannot be pulled is an outage");
            assertEquals(1, rolling.getMaxSurge().getIntValue(), name + " surges one pod");
        }
    }

    @Test
    void everyServiceIsToldItsVersionAndPodForXServedBy() throws Exception {
        List<KubernetesObject> objects = Rendered.render("k8s/overlays/minikube");

        for (V1Deployment deployment : objects.stream().filter(V1Deployment.class::isInstance).map(V1Deployment.class::cast).toList()) {
            var app = deployment.getSpec().getTemplate().getSpec().getContainers().stream()
                    .filter(container -> container.getName().equals("app")).findFirst().orElseThrow();
            Map<String, String> fields = new java.util.HashMap<>();
            app.getEnv().stream().filter(env -> env.getValueFrom() != null && env.getValueFrom().getFieldRef() != null)
                    .forEach(env -> fields.put(env.getName(), env.getValueFrom().getFieldRef().getFieldPath()));
            String name = deployment.getMetadata().getName();
            assertEquals("metadata.labels['version']", fields.get("APP_VERSION"), name + ": the version label, which a canary sets");
            assertEquals("metadata.name", fields.get("POD_NAME"), name);
            assertTrue(deployment.getSpec().getTemplate().getMetadata().getLabels().containsKey("version"), name);
        }
    }

    @Test
    void minikubeShKnowsWhatAPromoteRequests() throws Exception {
        List<KubernetesObject> objects = Rendered.render("k8s/overlays/minikube");
        long millicpu = 0;
        long mebibytes = 0;
        long largestCpu = 0;
        long largestMemory = 0;
        for (KubernetesObject object : objects) {
            io.kubernetes.client.openapi.models.V1PodTemplateSpec template;
            int replicas;
            if (object instanceof V1Deployment deployment) {
                template = deployment.getSpec().getTemplate();
                replicas = deployment.getSpec().getReplicas();
            } else if (object instanceof V1StatefulSet set) {
                template = set.getSpec().getTemplate();
                replicas = set.getSpec().getReplicas();
            } else {
                continue;
            }
            long cpu = 0;
            long memory = 0;
            for (var container : template.getSpec().getContainers()) {
                cpu += container.getResources().getRequests().get("cpu").getNumber().movePointRight(3).longValue();
                memory += container.getResources().getRequests().get("memory").getNumber().longValue() / (1024 * 1024);
            }
            millicpu += replicas * cpu;
            mebibytes += replicas * memory;
            if (object instanceof V1Deployment) {
                largestCpu = Math.max(largestCpu, cpu);
                largestMemory = Math.max(largestMemory, memory);
            }
        }
        // a promote: one surge pod of the Deployment being updated, beside its canary pod
        millicpu += 2 * largestCpu;
        mebibytes += 2 * largestMemory;
        String script = java.nio.file.Files.readString(Checkout.root().resolve("minikube.sh"));
        assertTrue(constant(script, "SYSTEM_MILLICPU") >= millicpu, "minikube.sh SYSTEM_MILLICPU >= " + millicpu);
        assertTrue(constant(script, "SYSTEM_MEMORY_MI") >= mebibytes, "minikube.sh SYSTEM_MEMORY_MI >= " + mebibytes);
    }

    private static long constant(String script, String name) {
        var matcher = java.util.regex.Pattern.compile("(?m)^" + name + "=(\\d+)$").matcher(script);
        assertTrue(matcher.find(), name + " in minikube.sh");
        return Long.parseLong(matcher.group(1));
    }

    @Test
    void theFullVariantAddsTheIngressAndNetworkPolicies() throws Exception {
        List<KubernetesObject> objects = Rendered.render("k8s/overlays/minikube-full");

        V1Ingress ingress = objects.stream().filter(V1Ingress.class::isInstance).map(V1Ingress.class::cast).findFirst().orElseThrow();
        assertEquals(List.of("ie.store.local", "uk.store.local"), ingress.getSpec().getRules().stream().map(r -> r.getHost()).toList());
        assertEquals("nginx", ingress.getSpec().getIngressClassName(), "the class minikube's ingress addon serves");
        Set<String> policies = names(objects, V1NetworkPolicy.class);
        assertTrue(policies.contains("default-deny-ingress"), policies::toString);
        for (String target : SERVICES) {
            assertTrue(policies.contains("allow-to-" + target), "no allow rule for " + target + ": " + policies);
        }
    }

    static <T extends KubernetesObject> Set<String> names(List<KubernetesObject> objects, Class<T> type) {
        return objects.stream().filter(type::isInstance).map(o -> o.getMetadata().getName()).collect(Collectors.toSet());
    }
}
