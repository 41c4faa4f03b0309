package io.microcanary.systemtests;

import io.microcanary.testsupport.Checkout;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1PodSecurityContext;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1SecurityContext;
import io.kubernetes.client.openapi.models.V1StatefulSet;
import io.kubernetes.client.openapi.models.V1Volume;
import io.kubernetes.client.openapi.models.V1VolumeMount;
import io.kubernetes.client.util.Yaml;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.microcanary.testsupport.Poller;
import io.microcanary.localstores.Stores;
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
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The stores' StatefulSets (infrastructure/k8s, as kustomize renders them) started for real the way their pod spec
 * says, on the Docker Engine the image tests use: the pod's user and group with the fsGroup added, a read-only root
 * where the spec asks for it, the capabilities it drops, no new privileges, its memory limit, an emptyDir for each
 * emptyDir mount, the rendered ConfigMap's files for a configMap mount and a directory for its claim, laid out as
 * the cluster would hand it over. The environment and the arguments are what the kubelet makes of the spec
 * (KubeletRules): secretKeyRef values from the rendered Secrets (the random passwords scripts/k8s-secrets.sh
 * writes), {@code $(VAR)} in args expanded from the container's environment. Two volume layouts: the
 * world-writable directory of minikube's and kind's default StorageClasses (hostpath and local-path provisioners),
 * and a root-owned volume made group-writable for the fsGroup, as kubelet does for block-disk classes. Each store
 * must then accept a connection from its own client with the Secret's login, write to the volume, and keep what
 * the manifests promise of least privilege: PostgreSQL's first start creates addressbook_owner (who may create
 * tables) and addressbook_app (who may connect and write the owner's tables, but not CREATE TABLE); Redis answers
 * NOAUTH without the password and serves with it.
 *
 * <p>The official images cannot be pulled on this machine: each is replaced by the stand-in that
 * scripts/stand-in-store-images.sh builds under the same user (the test checks the stand-in's user is the pod's).
 * The PostgreSQL stand-in's entrypoint does what the official docker-entrypoint.sh does on first start (initdb, a
 * socket-only temporary server, POSTGRES_DB, /docker-entrypoint-initdb.d run in order, executable *.sh executed),
 * with this machine's psql (Debian's postgresql-client, possibly an older major version than the server's).
 * What the stand-ins cannot show: the official entrypoints' own scripts (they skip chown/gosu when not root, which is
 * why the pod runs as the image's user), the readiness probes' clients (pg_isready, redis-cli with REDISCLI_AUTH,
 * mongosh), which only the official images carry, and MongoDB's authentication: the MongoDB stand-in is the in-memory
 * wire server, which has none, so MONGO_INITDB_ROOT_USERNAME/PASSWORD are only shown to reach the container from the
 * Secret mongo, and the test asserts the stand-in still serves without a login, so that a stand-in that gains
 * authentication makes this test fail until it checks the refusal and the root login instead.
 */
class StoreImagesIT {

    /** The official image in the manifest -> the stand-in built here under the same user. */
    private static final Map<String, String> STAND_INS = Map.of(
            "postgres:16-alpine", "micro-canary/postgres-stand-in:16",
            "redis:7-alpine", "micro-canary/redis-stand-in:6",
            "mongo:7", "micro-canary/mongo-stand-in:1");

    private static DockerDaemon docker;
    private static List<V1StatefulSet> stores;
    private static KubeletRules kubelet;

    @BeforeAll
    static void buildStandIns() throws Exception {
        docker = DockerDaemon.startOrUse();
        Path jar = Checkout.root().resolve("infrastructure/target/infrastructure-0.1.0-SNAPSHOT.jar");
        assertTrue(Files.isRegularFile(jar), "the stand-ins need " + jar + " (./mvnw package -DskipTests -pl infrastructure -am)");
        run(List.of("bash", "scripts/stand-in-store-images.sh"), Map.of(), Duration.ofMinutes(10));
        run(List.of("bash", "scripts/k8s-secrets.sh"), Map.of(), Duration.ofMinutes(1));
        String yaml = run(List.of("/usr/bin/kubectl", "kustomize", "infrastructure/k8s"), Map.of(), Duration.ofMinutes(1));
        kubelet = new KubeletRules(yaml);
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
        Map<String, String> env = kubelet.environment(container);
        assertTrue(container.getCommand() == null || container.getCommand().isEmpty(), store + ": a command would replace"
                + " the image's entrypoint, which the stand-in only emulates: " + container.getCommand());
        List<String> args = kubelet.expanded(container.getArgs(), env);
        assertFalse(args.stream().anyMatch(a -> a.contains("$(")), store + ": every $(VAR) of the args names a variable"
                + " of the container, else Kubernetes passes it on as written: " + container.getArgs());
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
        List<Path> configMapDirectories = new ArrayList<>();
        for (V1VolumeMount mount : container.getVolumeMounts()) {
            if (mount.getName().equals(claim)) {
                run.addAll(List.of("-v", volume + ":" + mount.getMountPath()));
                continue;
            }
            V1Volume source = pod.getVolumes().stream().filter(v -> v.getName().equals(mount.getName())).findFirst()
                    .orElseThrow(() -> new AssertionError(store + " mounts an undeclared volume " + mount.getName()));
            if (source.getEmptyDir() != null) {
                // an emptyDir: an empty directory anyone may write, not noexec (a JVM maps native code from /tmp)
                run.addAll(List.of("--tmpfs", mount.getMountPath() + ":rw,exec,mode=1777"));
            } else if (source.getConfigMap() != null) {
                // the kubelet mounts a configMap volume read-only whatever the mount says
                Path files = kubelet.configMapVolume(source.getConfigMap(), podSecurity.getFsGroup());
                configMapDirectories.add(files);
                run.addAll(List.of("-v", files + ":" + mount.getMountPath() + ":ro"));
            } else {
                throw new AssertionError(store + ": only emptyDir and configMap volumes besides the claim are emulated: "
                        + mount.getName());
            }
        }
        env.forEach((name, value) -> run.addAll(List.of("-e", name + "=" + value)));
        run.add(standIn);
        run.addAll(args);
        String id = docker.docker(run.toArray(new String[0]));
        try {
            long started = System.nanoTime();
            Poller.within(Duration.ofSeconds(90)).until(store + " to accept a connection from its client", () -> {
                if (!"running".equals(state(id))) {
                    throw new AssertionError(store + " exited; its log:\n" + logs(id));
                }
                return accepts(store, port, env);
            });
            System.err.printf("%s (%s storage, uid %s, read-only root, no capabilities) accepted a connection after %d ms%n",
                    store, storage, user, (System.nanoTime() - started) / 1_000_000);
            assertTrue(writes(store, port, env), store + " stores data");
            keepsItsLoginsPromises(store, port, env);
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
            for (Path files : configMapDirectories) {
                try (var walk = Files.walk(files)) {
                    for (Path path : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.delete(path);
                    }
                }
            }
        }
    }

    /**
     * What the manifests promise of the logins. PostgreSQL: the roles script ran on first start, so the owner (from
     * the Secret addressbook-db-owner) owns the schema and the app role (addressbook-db-app) connects, writes the
     * owner's tables through the default privileges, is no superuser and cannot CREATE TABLE. Redis: NOAUTH without
     * the password. MongoDB: see the class comment.
     */
    private static void keepsItsLoginsPromises(String store, int port, Map<String, String> env) throws Exception {
        switch (store) {
            case "postgres" -> {
                String url = "jdbc:postgresql://127.0.0.1:" + port + "/" + env.get("POSTGRES_DB");
                assertEquals("addressbook_owner", env.get("ADDRESSBOOK_OWNER_USER"), "the owner's name from its Secret");
                assertEquals("addressbook_app", env.get("ADDRESSBOOK_APP_USER"), "the app role's name from its Secret");
                try (Connection owner = DriverManager.getConnection(url, env.get("ADDRESSBOOK_OWNER_USER"), env.get("ADDRESSBOOK_OWNER_PASSWORD"))) {
                    owner.createStatement().execute("create table owned (id serial primary key, name text)");
                }
                try (Connection app = DriverManager.getConnection(url, env.get("ADDRESSBOOK_APP_USER"), env.get("ADDRESSBOOK_APP_PASSWORD"))) {
                    assertEquals(1, app.createStatement().executeUpdate("insert into owned (name) values ('by the app role')"),
                            "the app role writes the owner's new table (default privileges, sequence included)");
                    try (ResultSet role = app.createStatement().executeQuery(
                            "select rolsuper, rolcreatedb, rolcreaterole from pg_roles where rolname = current_user")) {
                        assertTrue(role.next());
                        assertFalse(role.getBoolean(1) || role.getBoolean(2) || role.getBoolean(3),
                                "the app role is no superuser and creates no databases or roles");
                    }
                    SQLException refused = assertThrows(SQLException.class,
                            () -> app.createStatement().execute("create table by_the_app (id int)"),
                            "the app role cannot change the schema");
                    assertEquals("42501", refused.getSQLState(), "insufficient privilege: " + refused.getMessage());
                }
                assertThrows(SQLException.class, () -> DriverManager.getConnection(url, env.get("ADDRESSBOOK_APP_USER"), "not-the-password").close(),
                        "the app role needs its password");
            }
            case "redis" -> {
                RedisClient client = RedisClient.create(RedisURI.Builder.redis("127.0.0.1", port).withTimeout(Duration.ofSeconds(5)).build());
                try {
                    Exception refused = assertThrows(Exception.class, () -> {
                        try (StatefulRedisConnection<String, String> connection = client.connect()) {
                            connection.sync().get("probe");
                        }
                    }, "Redis serves a client that sent no password");
                    assertTrue(causes(refused).contains("NOAUTH"), "Redis refuses with NOAUTH: " + causes(refused));
                } finally {
                    client.shutdown();
                }
                assertFalse(env.get("REDIS_PASSWORD").isEmpty(), "the password comes from the Secret redis");
                assertEquals(env.get("REDIS_PASSWORD"), env.get("REDISCLI_AUTH"), "the probe's redis-cli sends the same password");
            }
            case "mongo" -> {
                assertEquals("root", env.get("MONGO_INITDB_ROOT_USERNAME"), "the root login's name from the Secret mongo");
                assertFalse(env.get("MONGO_INITDB_ROOT_PASSWORD").isEmpty(), "the root login's password from the Secret mongo");
                try (MongoClient client = MongoClients.create("mongodb://127.0.0.1:" + port + "/?serverSelectionTimeoutMS=5000")) {
                    client.getDatabase("events").getCollection("unauthenticated").insertOne(new Document("id", 1));
                }
                System.err.println("mongo: the stand-in (in-memory wire server) has no authentication: it served a write"
                        + " without a login; mongod's refusal and the root login are not checked here");
            }
            default -> throw new IllegalArgumentException(store);
        }
    }

    private static String causes(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(t.getClass().getSimpleName()).append(": ").append(t.getMessage()).append("; ");
        }
        return all.toString();
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

    private static boolean accepts(String store, int port, Map<String, String> env) {
        try {
            return switch (store) {
                case "postgres" -> {
                    try (Connection connection = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port
                            + "/" + env.get("POSTGRES_DB") + "?connectTimeout=2", "postgres", env.get("POSTGRES_PASSWORD"));
                         ResultSet one = connection.createStatement().executeQuery("select 1")) {
                        yield one.next() && one.getInt(1) == 1;
                    }
                }
                case "redis" -> {
                    RedisClient client = RedisClient.create(redis(port, env));
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

    /** Redis with the password of its Secret (REDIS_PASSWORD, which the args hand to --requirepass). */
    private static RedisURI redis(int port, Map<String, String> env) {
        return RedisURI.Builder.redis("127.0.0.1", port).withPassword(env.get("REDIS_PASSWORD").toCharArray())
                .withTimeout(Duration.ofSeconds(5)).build();
    }

    /** One write through the client; PostgreSQL and Redis (append-only) put it in the volume, MongoDB in memory. */
    private static boolean writes(String store, int port, Map<String, String> env) throws Exception {
        return switch (store) {
            case "postgres" -> {
                try (Connection connection = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/"
                        + env.get("POSTGRES_DB"), "postgres", env.get("POSTGRES_PASSWORD"))) {
                    connection.createStatement().execute("create table probe (id int)");
                    yield connection.createStatement().executeUpdate("insert into probe values (1)") == 1;
                }
            }
            case "redis" -> {
                RedisClient client = RedisClient.create(redis(port, env));
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
