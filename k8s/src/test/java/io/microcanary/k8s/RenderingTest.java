package io.microcanary.k8s;

import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Ingress;
import io.kubernetes.client.openapi.models.V1NetworkPolicy;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1StatefulSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every variant renders, and everything in it is a typed Kubernetes object in the system's namespace. */
class RenderingTest {

    static final Set<String> SERVICES = Set.of("addressbook", "sava-product", "sava-cart-ie", "sava-cart-uk",
            "adderservice", "auditservice", "eventservice", "webapp");

    @ParameterizedTest
    @ValueSource(strings = {"k8s/base", "infrastructure/k8s", "k8s/overlays/minikube", "k8s/overlays/minikube-full"})
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
    void theFullVariantAddsTheIngressAndNetworkPolicies() throws Exception {
        List<KubernetesObject> objects = Rendered.render("k8s/overlays/minikube-full");

        V1Ingress ingress = objects.stream().filter(V1Ingress.class::isInstance).map(V1Ingress.class::cast).findFirst().orElseThrow();
        assertEquals(List.of("ie.store.local", "uk.store.local"), ingress.getSpec().getRules().stream().map(r -> r.getHost()).toList());
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
