package io.microcanary.systemtests;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1PodSecurityContext;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1SecurityContext;
import io.kubernetes.client.openapi.models.V1StatefulSet;
import io.kubernetes.client.openapi.models.V1Volume;
import io.kubernetes.client.openapi.models.V1VolumeMount;
import io.kubernetes.client.util.Yaml;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.microcanary.testsupport.Poller;
import io.microcanary.testsupport.stores.Stores;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The stores' StatefulSets (infrastructure/k8s, as kustomize renders them) started for real the way their pod spec
 * says, on the Docker Engine the image tests use: the pod's user and group with the fsGroup added, a read-only root
 * where the spec asks for it, the capabilities it drops, no new privileges, its memory limit, an emptyDir for each
 * emptyDir mount and a directory for its claim, laid out as the cluster would hand it over. Two layouts: the
 * world-writable directory of minikube's and kind's default StorageClasses (hostpath and local-path provisioners),
 * and a root-owned volume made group-writable for the fsGroup, as kubelet does for block-disk classes. Each store
 * must then accept a connection from its own client and write to the volume.
 *
 * <p>The official images cannot be pulled on this machine: each is replaced by the stand-in that
 * scripts/stand-in-store-images.sh builds under the same user (the test checks the stand-in's user is the pod's).
 * What the stand-ins cannot show: the official entrypoints' own scripts (they skip chown/gosu when not root, which is
 * why the pod runs as the image's user) and the readiness probes' clients (pg_isready, redis-cli, mongosh), which
 * only the official images carry.
 */
class StoreImagesIT {

    /** The official image in the manifest -> the stand-in built here under the same user. */
    private static final Map<String, String> STAND_INS = Map.of(
            "postgres:16-alpine", "micro-canary/postgres-stand-in:16",
            "redis:7-alpine", "micro-canary/redis-stand-in:6",
            "mongo:7", "micro-canary/mongo-stand-in:1");

    private static DockerDaemon docker;
    private static List<V1StatefulSet> stores;

    @BeforeAll
    static void buildStandIns() throws Exception {
        docker = DockerDaemon.startOrUse();
        Path jar = Repository.root().resolve("infrastructure/target/infrastructure-0.1.0-SNAPSHOT.jar");
        assertTrue(Files.isRegularFile(jar), "the stand-ins need " + jar + " (./mvnw package -DskipTests -pl infrastructure -am)");
        run(List.of("bash", "scripts/stand-in-store-images.sh"), Map.of(), Duration.ofMinutes(10));
        run(List.of("bash", "scripts/k8s-secrets.sh"), Map.of(), Duration.ofMinutes(1));
        String yaml = run(List.of("/usr/bin/kubectl", "kustomize", "infrastructure/k8s"), Map.of(), Duration.ofMinutes(1));
        stores = Yaml.loadAll(yaml).stream().filter(V1StatefulSet.class::isInstance).map(V1StatefulSet.class::cast).toList();
        assertEquals(3, stores.size(), "postgres, redis and mongo are rendered");
    }

    @AfterAll
    static void stopTheDaemon() throws Exception {
        if (docker != null) {
            docker.close();
        }
    }

    @ParameterizedTest(name = "{0} on {1} storage")
    @CsvSource({"postgres, provisioned", "postgres, fsgroup", "redis, provisioned", "redis, fsgroup",
            "mongo, provisioned", "mongo, fsgroup"})
    void startsAsThePodSpecSaysAndAcceptsAConnection(String store, String storage) throws Exception {
        V1StatefulSet set = stores.stream().filter(s -> s.getMetadata().getName().equals(store)).findFirst().orElseThrow();
        V1PodSpec pod = set.getSpec().getTemplate().getSpec();
        V1Container container = pod.getContainers().get(0);
        V1PodSecurityContext podSecurity = pod.getSecurityContext();
        V1SecurityContext own = container.getSecurityContext();
        assertNotNull(podSecurity.getRunAsUser(), store + " sets no runAsUser: the official image would start as root, and"
                + " its entrypoint's chown and gosu/su-exec fail without the capabilities the pod drops");
        String user = podSecurity.getRunAsUser() + ":" + podSecurity.getRunAsGroup();
        String standIn = STAND_INS.get(container.getImage());
        assertNotNull(standIn, "no stand-in for " + container.getImage());
        System.err.printf("%s: %s cannot be pulled here (no registry access); running the stand-in %s instead,"
                + " built to run as the same user (%s)%n", store, container.getImage(), standIn, user);
        assertEquals(user, docker.docker("image", "inspect", "--format", "{{.Config.User}}", standIn),
                "the stand-in runs as the user of the image it stands in for, which the pod spec must name");

        Path volume = claim(storage, podSecurity.getFsGroup(), standIn);
        String password = "store-" + UUID.randomUUID();
        int port = Stores.freePort();
        List<String> run = new ArrayList<>(List.of("run", "-d", "--user", user,
                "-p", "127.0.0.1:" + port + ":" + container.getPorts().get(0).getContainerPort()));
        if (podSecurity.getFsGroup() != null) {
            run.addAll(List.of("--group-add", String.valueOf(podSecurity.getFsGroup())));
        }
        if (Boolean.TRUE.equals(own.getReadOnlyRootFilesystem())) {
            run.add("--read-only");
        }
        for (String capability : own.getCapabilities().getDrop()) {
            run.addAll(List.of("--cap-drop", capability));
        }
        if (Boolean.FALSE.equals(own.getAllowPrivilegeEscalation())) {
            run.addAll(List.of("--security-opt", "no-new-privileges"));
        }
        Optional.ofNullable(container.getResources().getLimits()).map(l -> l.get("memory"))
                .ifPresent(memory -> run.addAll(List.of("--memory", String.valueOf(memory.getNumber().longValue()))));
        String claim = set.getSpec().getVolumeClaimTemplates().get(0).getMetadata().getName();
        for (V1VolumeMount mount : container.getVolumeMounts()) {
            if (mount.getName().equals(claim)) {
                run.addAll(List.of("-v", volume + ":" + mount.getMountPath()));
            } else {
                V1Volume source = pod.getVolumes().stream().filter(v -> v.getName().equals(mount.getName())).findFirst()
                        .orElseThrow(() -> new AssertionError(store + " mounts an undeclared volume " + mount.getName()));
                assertNotNull(source.getEmptyDir(), store + ": only emptyDirs besides the claim");
                // an emptyDir: an empty directory anyone may write, not noexec (a JVM maps native code from /tmp)
                run.addAll(List.of("--tmpfs", mount.getMountPath() + ":rw,exec,mode=1777"));
            }
        }
        for (V1EnvVar env : Optional.ofNullable(container.getEnv()).orElse(List.of())) {
            String value = env.getValue() != null ? env.getValue() : password; // the only secret is the password
            run.addAll(List.of("-e", env.getName() + "=" + value));
        }
        run.add(standIn);
        run.addAll(Optional.ofNullable(container.getArgs()).orElse(List.of()));
        String id = docker.docker(run.toArray(new String[0]));
        try {
            long started = System.nanoTime();
            Poller.within(Duration.ofSeconds(90)).until(store + " to accept a connection from its client", () -> {
                if (!"running".equals(state(id))) {
                    throw new AssertionError(store + " exited; its log:\n" + logs(id));
                }
                return accepts(store, port, password);
            });
            System.err.printf("%s (%s storage, uid %s, read-only root, no capabilities) accepted a connection after %d ms%n",
                    store, storage, user, (System.nanoTime() - started) / 1_000_000);
            assertTrue(writes(store, port, password), store + " stores data");
            String mount = mountOf(container, claim);
            assertEquals(0, docker.exitCode("exec", id, "/bin/sh", "-c", "busybox touch " + mount + "/.written-by-" + store),
                    store + "'s user can write its volume");
            String dataFile = Map.of("postgres", "pgdata/PG_VERSION", "redis", "appendonly.aof").getOrDefault(store, "");
            if (dataFile.isEmpty()) {
                System.err.println(store + ": the stand-in keeps its data in memory; its volume is only shown writable");
            } else {
                assertEquals(0, docker.exitCode("exec", id, "/bin/sh", "-c", "test -s " + mount + "/" + dataFile),
                        store + " keeps its data on the volume: no " + mount + "/" + dataFile);
            }
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError(e.getMessage() + "\nlog of " + store + ":\n" + logs(id), e);
        } finally {
            docker.docker("rm", "-f", id);
            // the store's files belong to its uid: removed as that user, with the stand-in's shell
            docker.exitCode("run", "--rm", "--user", user, "-v", volume + ":/volume", "--entrypoint", "/bin/sh", standIn,
                    "-c", "busybox rm -rf /volume/* /volume/.[!.]*");
            Files.deleteIfExists(volume);
        }
    }

    /**
     * The claim's directory as the cluster hands it to the pod: "provisioned" as the hostpath (minikube) and
     * local-path (kind) provisioners create it, root-owned and world-writable (kubelet applies no fsGroup to it);
     * "fsgroup" as kubelet prepares a disk for fsGroup: root-owned, group fsGroup, group-writable with setgid.
     */
    private static Path claim(String storage, Long fsGroup, String standIn) throws Exception {
        Path volume = Files.createTempDirectory("store-volume-");
        Files.setPosixFilePermissions(volume, PosixFilePermissions.fromString("rwxrwxrwx"));
        String prepare = "busybox chown 0:0 /volume && busybox chmod 0777 /volume";
        if (storage.equals("fsgroup")) {
            assertNotNull(fsGroup, "the pod sets no fsGroup, so a disk-backed volume stays root's");
            prepare = "busybox chown 0:" + fsGroup + " /volume && busybox chmod 2770 /volume";
        }
        // as root in a container, so that a test run by a non-root user can hand the directory to root too
        docker.docker("run", "--rm", "--user", "0:0", "-v", volume + ":/volume", "--entrypoint", "/bin/sh", standIn, "-c", prepare);
        return volume;
    }

    private static String mountOf(V1Container container, String claim) {
        return container.getVolumeMounts().stream().filter(m -> m.getName().equals(claim)).findFirst().orElseThrow().getMountPath();
    }

    private static boolean accepts(String store, int port, String password) {
        try {
            return switch (store) {
                case "postgres" -> {
                    try (Connection connection = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port
                            + "/addressbook?connectTimeout=2", "postgres", password);
                         ResultSet one = connection.createStatement().executeQuery("select 1")) {
                        yield one.next() && one.getInt(1) == 1;
                    }
                }
                case "redis" -> {
                    RedisClient client = RedisClient.create("redis://127.0.0.1:" + port);
                    try (StatefulRedisConnection<String, String> connection = client.connect()) {
                        yield "PONG".equals(connection.sync().ping());
                    } finally {
                        client.shutdown();
                    }
                }
                case "mongo" -> {
                    try (MongoClient client = MongoClients.create("mongodb://127.0.0.1:" + port
                            + "/?serverSelectionTimeoutMS=2000&connectTimeoutMS=2000")) {
                        yield client.getDatabase("admin").runCommand(new Document("ping", 1)).get("ok", Number.class).intValue() == 1;
                    }
                }
                default -> throw new IllegalArgumentException(store);
            };
        } catch (Exception e) {
            return false;
        }
    }

    /** One write through the client; PostgreSQL and Redis (append-only) put it in the volume, MongoDB in memory. */
    private static boolean writes(String store, int port, String password) throws Exception {
        return switch (store) {
            case "postgres" -> {
                try (Connection connection = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/addressbook",
                        "postgres", password)) {
                    connection.createStatement().execute("create table probe (id int)");
                    yield connection.createStatement().executeUpdate("insert into probe values (1)") == 1;
                }
            }
            case "redis" -> {
                RedisClient client = RedisClient.create("redis://127.0.0.1:" + port);
                try (StatefulRedisConnection<String, String> connection = client.connect()) {
                    yield "OK".equals(connection.sync().set("probe", "1"));
                } finally {
                    client.shutdown();
                }
            }
            case "mongo" -> {
                try (MongoClient client = MongoClients.create("mongodb://127.0.0.1:" + port)) {
                    client.getDatabase("events").getCollection("probe").insertOne(new Document("id", 1));
                    yield client.getDatabase("events").getCollection("probe").countDocuments() == 1;
                }
            }
            default -> throw new IllegalArgumentException(store);
        };
    }

    private static String state(String id) {
        try {
            return docker.docker("inspect", "--format", "{{.State.Status}}", id);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String logs(String id) {
        try {
            return docker.docker("logs", "--tail", "40", id);
        } catch (Exception | AssertionError e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static String run(List<String> line, Map<String, String> environment, Duration limit) throws Exception {
        return docker.inRepository(line, environment, limit);
    }
}
