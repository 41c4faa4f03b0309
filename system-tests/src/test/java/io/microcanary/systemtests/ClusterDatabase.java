package io.microcanary.systemtests;

import io.microcanary.deployer.emulation.FakeKubernetes;
import io.microcanary.localstores.StoreAddress;
import io.microcanary.localstores.StoreKind;
import io.microcanary.localstores.StoreServer;
import io.microcanary.localstores.Stores;

import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The emulated cluster's PostgreSQL, a real one (embedded), and addressbook's {@code ping} and {@code migrate} run
 * for real against it when the harness execs them in a canary pod: what the smoke checks print is what the jar prints.
 *
 * <p>The emulation has no images: every canary runs this checkout's addressbook jar. The tutorial's release adds a
 * migration, so the database starts as {@code ./minikube.sh up} would have left it with the stable image, which
 * predates that migration: migrated by this checkout's jar without its newest migration. The first canary then
 * applies it, and every later canary (or a rollback) finds the schema already there.
 */
final class ClusterDatabase implements AutoCloseable {

    private static final long COMMAND_SECONDS = 90;

    private final Path root;
    private final Path state;
    private StoreServer postgres;

    ClusterDatabase(Path root, Path state) {
        this.root = root;
        this.state = state;
    }

    /** What a command exec'd in a canary pod prints (the harness execs only there): it runs the released jar. */
    FakeKubernetes.ExecAnswer exec(List<String> command) {
        return exec(command, false);
    }

    /**
     * What a command exec'd in an addressbook pod prints: the last word of the command is addressbook's verb. A pod
     * of the image the manifests name (stable before any release) runs the jar without the newest migration.
     */
    FakeKubernetes.ExecAnswer exec(List<String> command, boolean beforeTheRelease) {
        String verb = command.get(command.size() - 1);
        if (!verb.equals("ping") && !verb.equals("migrate")) {
            return new FakeKubernetes.ExecAnswer(127, "exec: \"" + verb + "\": executable file not found in $PATH\n");
        }
        try {
            return run(beforeTheRelease ? stableJar() : checkoutJar(), verb);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * The environment an addressbook pod gets for the database, its connections leaving from the pod's own address
     * (pgjdbc's {@code localSocketAddress}), as a pod's leave from its IP: PostgreSQL sees which pod connects, and
     * its pg_hba.conf can refuse one pod.
     */
    synchronized Map<String, String> environment(String podIp) throws IOException, InterruptedException {
        Map<String, String> environment = new java.util.HashMap<>(environment());
        StoreAddress db = postgres.address();
        // addressbook's own URL (application.yml) plus the source address
        environment.put("DATASOURCES_DEFAULT_URL", "jdbc:postgresql://" + db.host() + ":" + db.port() + "/"
                + db.database() + "?ssl=false&connectTimeout=2&socketTimeout=10&localSocketAddress=" + podIp);
        return environment;
    }

    /** The environment addressbook's pods get for the database (in the cluster, host postgres and a Secret). */
    synchronized Map<String, String> environment() throws IOException, InterruptedException {
        if (postgres == null) {
            postgres = Stores.start(StoreKind.POSTGRES);
            admitPodNetwork();
            FakeKubernetes.ExecAnswer up = run(stableJar(), "migrate");
            if (up.exitCode() != 0) {
                throw new IllegalStateException("migrating as ./minikube.sh up does failed: " + up.stdout());
            }
        }
        StoreAddress db = postgres.address();
        return Map.of("DB_HOST", db.host(), "DB_PORT", String.valueOf(db.port()), "DB_SCHEMA", db.database(),
                "DB_USER", db.user(), "DB_PASSWORD", db.password());
    }

    /**
     * The pods' addresses (the emulation's pod network is 127.244.0.0/16) may connect, as every host may with a
     * password in the cluster's database (the image's entrypoint appends {@code host all all all scram-sha-256}).
     */
    private void admitPodNetwork() throws IOException {
        try (Connection connection = superuser(); Statement statement = connection.createStatement()) {
            Path hba = Path.of(show(statement, "hba_file"));
            Files.writeString(hba, "host all all 127.0.0.0/8 trust\n", java.nio.file.StandardOpenOption.APPEND);
            statement.execute("SELECT pg_reload_conf()");
        } catch (SQLException e) {
            throw new IllegalStateException("could not let the pod network into the cluster's database", e);
        }
    }

    /**
     * {@code kubectl exec postgres-0 -- sh -c <script>}: the script run by this machine's shell, with the
     * variables the postgres container has ({@code PGDATA}) and psql pointed at this database as its superuser, as
     * psql in the container reaches its server through the local socket. So the tutorial's edits of pg_hba.conf and
     * its psql calls act on a real PostgreSQL. Not emulated: the container's own file system and user.
     */
    synchronized FakeKubernetes.ExecAnswer shell(String script) throws IOException, InterruptedException {
        environment();
        String dataDirectory;
        try (Connection connection = superuser(); Statement statement = connection.createStatement()) {
            dataDirectory = show(statement, "data_directory");
        } catch (SQLException e) {
            return new FakeKubernetes.ExecAnswer(1, "psql: error: " + e.getMessage() + "\n");
        }
        Path output = Files.createTempFile(state, "exec-postgres-", ".out");
        ProcessBuilder builder = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true).redirectOutput(output.toFile());
        StoreAddress db = postgres.address();
        builder.environment().putAll(Map.of("PGDATA", dataDirectory, "PGHOST", db.host(),
                "PGPORT", String.valueOf(db.port()), "PGPASSWORD", db.password()));
        Process process = builder.start();
        if (!process.waitFor(COMMAND_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("sh -c did not finish within " + COMMAND_SECONDS + " s: " + script);
        }
        return new FakeKubernetes.ExecAnswer(process.exitValue(), Files.readString(output));
    }

    private Connection superuser() throws SQLException {
        StoreAddress db = postgres.address();
        return java.sql.DriverManager.getConnection("jdbc:postgresql://" + db.host() + ":" + db.port() + "/postgres",
                db.user(), db.password());
    }

    private static String show(Statement statement, String setting) throws SQLException {
        try (java.sql.ResultSet result = statement.executeQuery("SHOW " + setting)) {
            result.next();
            return result.getString(1);
        }
    }

    private FakeKubernetes.ExecAnswer run(Path jar, String verb) throws IOException, InterruptedException {
        Map<String, String> environment = environment();
        Path output = Files.createTempFile(state, "exec-", ".out");
        // the JVM options of scripts/lib.sh's ADDRESSBOOK_COMMAND, the command a pod runs beside its server
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-XX:TieredStopAtLevel=1", "-jar", jar.toString(), verb)
                .redirectOutput(output.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().putAll(environment);
        Process process = builder.start();
        if (!process.waitFor(COMMAND_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(verb + " did not finish within " + COMMAND_SECONDS + " s");
        }
        return new FakeKubernetes.ExecAnswer(process.exitValue(), Files.readString(output));
    }

    private Path checkoutJar() {
        return root.resolve("addressbook/target/addressbook-0.1.0-SNAPSHOT.jar");
    }

    /** The checkout's jar without its newest migration, standing for the image stable ran before the release. */
    private synchronized Path stableJar() throws IOException {
        Path jar = state.resolve("addressbook-stable.jar");
        if (Files.exists(jar)) {
            return jar;
        }
        Files.copy(checkoutJar(), jar, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        try (FileSystem zip = FileSystems.newFileSystem(URI.create("jar:" + jar.toUri()), Map.of())) {
            Path migrations = zip.getPath("/db/migration");
            List<Path> versions;
            try (Stream<Path> files = Files.list(migrations)) {
                versions = new ArrayList<>(files.filter(f -> f.getFileName().toString().matches("V\\d+__.*\\.sql")).toList());
            }
            versions.sort(Comparator.comparingInt(ClusterDatabase::version));
            if (versions.size() < 2) {
                throw new IllegalStateException("addressbook has fewer than two migrations: " + versions);
            }
            Files.delete(versions.get(versions.size() - 1));
        }
        return jar;
    }

    private static int version(Path migration) {
        String name = migration.getFileName().toString();
        return Integer.parseInt(name.substring(1, name.indexOf("__")));
    }

    @Override
    public synchronized void close() {
        if (postgres != null) {
            postgres.close();
        }
    }
}
