package io.microcanary.k8s;

import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import io.kubernetes.client.openapi.models.V1PodSecurityContext;
import io.kubernetes.client.openapi.models.V1SecurityContext;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1StatefulSet;
import io.kubernetes.client.openapi.models.V1VolumeMount;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The stores as rendered for minikube start under the hardened pod settings: each runs as the user its official
 * image creates (so the entrypoint never chowns or switches user, which needs CHOWN/SETUID/SETGID that the dropped
 * capabilities take away), on a read-only root with a writable mount for every path the image writes, is ready
 * by its own client, is governed by a headless Service and claims storage from the cluster's default class.
 * StoreImagesIT (system-tests) starts the images this way for real.
 */
class StoresTest {

    /** image -> {uid, gid}: the users the official images create (postgres Alpine 70, redis Alpine 999:1000, mongo 999). */
    static final Map<String, List<Long>> IMAGE_USERS = Map.of(
            "postgres:16-alpine", List.of(70L, 70L),
            "redis:7-alpine", List.of(999L, 1000L),
            "mongo:7", List.of(999L, 999L));
    /** store -> the paths its image writes, each of which must be a mount on a read-only root. */
    static final Map<String, Set<String>> WRITTEN = Map.of(
            "postgres", Set.of("/var/lib/postgresql/data", "/var/run/postgresql", "/tmp"),
            "redis", Set.of("/data", "/tmp"),
            "mongo", Set.of("/data/db", "/data/configdb", "/tmp"));
    /** store -> the client its readiness probe runs. */
    static final Map<String, String> CLIENT = Map.of("postgres", "pg_isready", "redis", "redis-cli", "mongo", "mongosh");

    private static List<KubernetesObject> objects;

    @BeforeAll
    static void render() throws Exception {
        objects = Rendered.render("k8s/overlays/minikube");
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgres", "redis", "mongo"})
    void runsAsItsImagesOwnUserWithoutPrivilege(String store) {
        V1StatefulSet set = statefulSet(store);
        V1Container container = set.getSpec().getTemplate().getSpec().getContainers().get(0);
        List<Long> user = IMAGE_USERS.get(container.getImage());
        assertNotNull(user, store + " uses an image whose user is known here: " + container.getImage());
        V1PodSecurityContext pod = set.getSpec().getTemplate().getSpec().getSecurityContext();
        assertEquals(Boolean.TRUE, pod.getRunAsNonRoot(), store);
        assertEquals(user.get(0), pod.getRunAsUser(), store + " runs as its image's uid");
        assertEquals(user.get(1), pod.getRunAsGroup(), store + " runs as its image's gid");
        assertEquals(user.get(1), pod.getFsGroup(), store + "'s volume is made writable for its image's group");
        assertEquals("RuntimeDefault", pod.getSeccompProfile().getType(), store);
        V1SecurityContext own = container.getSecurityContext();
        assertEquals(Boolean.FALSE, own.getAllowPrivilegeEscalation(), store);
        assertEquals(Boolean.TRUE, own.getReadOnlyRootFilesystem(), store);
        assertEquals(List.of("ALL"), own.getCapabilities().getDrop(), store);
        assertTrue(own.getCapabilities().getAdd() == null || own.getCapabilities().getAdd().isEmpty(),
                store + " adds no capability back");
        assertNull(own.getRunAsUser(), store + ": the pod's user is the one that counts");
        Set<String> mounts = container.getVolumeMounts().stream().map(V1VolumeMount::getMountPath).collect(Collectors.toSet());
        assertTrue(mounts.containsAll(WRITTEN.get(store)), store + " can write " + WRITTEN.get(store) + ", mounts: " + mounts);
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgres", "redis", "mongo"})
    void isReadyByItsOwnClient(String store) {
        V1Container container = statefulSet(store).getSpec().getTemplate().getSpec().getContainers().get(0);
        List<String> command = container.getReadinessProbe().getExec().getCommand();
        assertTrue(String.join(" ", command).contains(CLIENT.get(store)), store + " readiness by " + CLIENT.get(store) + ": " + command);
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgres", "redis", "mongo"})
    void isGovernedByAHeadlessServiceAndUsesTheDefaultStorageClass(String store) {
        V1StatefulSet set = statefulSet(store);
        String governing = set.getSpec().getServiceName();
        V1Service service = objects.stream().filter(V1Service.class::isInstance).map(V1Service.class::cast)
                .filter(s -> s.getMetadata().getName().equals(governing)).findFirst()
                .orElseThrow(() -> new AssertionError(store + "'s serviceName " + governing + " is not rendered"));
        assertEquals("None", service.getSpec().getClusterIP(), governing + " is headless");
        assertEquals(Map.of("app", store), service.getSpec().getSelector(), governing + " selects the store's pods");
        V1Service clients = objects.stream().filter(V1Service.class::isInstance).map(V1Service.class::cast)
                .filter(s -> s.getMetadata().getName().equals(store)).findFirst().orElseThrow();
        assertNull(clients.getSpec().getClusterIP(), "clients keep a stable ClusterIP at " + store);
        List<V1PersistentVolumeClaim> claims = set.getSpec().getVolumeClaimTemplates();
        assertEquals(1, claims.size(), store);
        assertNull(claims.get(0).getSpec().getStorageClassName(),
                store + " claims from the cluster's default StorageClass (minikube: standard, kind: standard)");
    }

    private static V1StatefulSet statefulSet(String name) {
        return objects.stream().filter(V1StatefulSet.class::isInstance).map(V1StatefulSet.class::cast)
                .filter(s -> s.getMetadata().getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no StatefulSet " + name));
    }
}
