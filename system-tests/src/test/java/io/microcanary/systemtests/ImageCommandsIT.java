package io.microcanary.systemtests;

import io.microcanary.testsupport.Poller;
import io.microcanary.testsupport.http.Http;
import io.microcanary.localstores.StoreKind;
import io.microcanary.localstores.StoreServer;
import io.microcanary.localstores.Stores;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * addressbook's commands run in both image recipes as a canary's smoke checks run them: the service started as its
 * Deployment runs it (read-only root, uid 10001, no capabilities, a 256m memory limit, MIGRATE_ON_START=false), then
 * {@code ping} and {@code migrate} executed inside that same container — the same memory limit, as kubectl exec
 * into the pod — with the one command line both images share (scripts/lib.sh ADDRESSBOOK_COMMAND), against a real
 * PostgreSQL. Each command must do its work (the schema is there after migrate, ping fails with no database there), and
 * neither JVM may be killed: the second JVM's memory (native memory tracking) and the container's are printed.
 */
class ImageCommandsIT {

    /** The command the harness and minikube.sh exec; the same in the Dockerfile's image and Jib's. */
    static final List<String> COMMAND = List.of("java", "-Xmx64m", "-XX:TieredStopAtLevel=1",
            "-cp", "@/app/jib-classpath-file", "@/app/jib-main-class-file");
    /** Native memory tracking's summary at exit (JDK 17 prints bytes; later releases may scale to KB). */
    private static final Pattern NMT_TOTAL = Pattern.compile("Total: reserved=(\\d+)(KB)?, committed=(\\d+)(KB)?");

    private static DockerDaemon docker;
    private static final Map<String, String> IMAGES = new TreeMap<>();

    @BeforeAll
    static void buildBothRecipes() throws Exception {
        docker = DockerDaemon.startOrUse();
        assertEquals(String.join(" ", COMMAND), script(Map.of(), "bash", "-c",
                "source scripts/lib.sh && printf '%s' \"${ADDRESSBOOK_COMMAND[*]}\""), "the scripts exec this command");
        String base = last(script(Map.of(), "bash", "scripts/local-base-image.sh"));
        String built = last(script(Map.of("SKIP_JAR_BUILD", "1", "BASE_IMAGE", base),
                "bash", "scripts/build-image.sh", "addressbook"));
        docker.docker("tag", built, built + "-dockerfile");
        IMAGES.put("dockerfile", built + "-dockerfile");

        String[] jib = last(script(Map.of(), "bash", "scripts/jib-image.sh", "addressbook")).split(" ");
        docker.docker("load", "-i", jib[1]);
        docker.docker("tag", jib[0], jib[0] + "-jib");
        IMAGES.put("jib", jib[0] + "-jib");
    }

    @AfterAll
    static void stopTheDaemon() throws Exception {
        if (docker != null) {
            docker.close();
        }
    }

    @ParameterizedTest(name = "{0} image")
    @ValueSource(strings = {"dockerfile", "jib"})
    void pingAndMigrateRunBesideTheServiceWithinItsMemoryLimit(String recipe) throws Exception {
        String image = IMAGES.get(recipe);
        try (StoreServer postgres = Stores.start(StoreKind.POSTGRES)) {
            int port = Stores.freePort();
            List<String> run = new ArrayList<>(List.of("run", "-d", "--network", "host", "--read-only",
                    "--tmpfs", "/tmp:rw,exec,size=64m", "--user", "10001:10001", "--cap-drop", "ALL",
                    "--security-opt", "no-new-privileges", "--memory", "256m", "--memory-swap", "256m",
                    "-e", "PORT=" + port, "-e", "MICRONAUT_SERVER_HOST=127.0.0.1", "-e", "MIGRATE_ON_START=false",
                    "-e", "DB_HOST=127.0.0.1", "-e", "DB_PORT=" + postgres.address().port(),
                    "-e", "DB_USER=" + postgres.address().user(),
                    "-e", "DB_PASSWORD=" + Objects.toString(postgres.address().password(), ""),
                    "-e", "DB_SCHEMA=" + postgres.address().database(), image));
            String id = docker.docker(run.toArray(new String[0]));
            try {
                Http http = Http.at("http://127.0.0.1:" + port).withTimeout(Duration.ofSeconds(2));
                Poller.within(Duration.ofSeconds(90)).until(recipe + " addressbook to be ready", () -> http.answersOk("/health/readiness"));
                for (int i = 0; i < 100; i++) {
                    http.get("/health/readiness"); // a served request or a hundred: the server's heap in use, not fresh
                }

                Exec ping = exec(id, List.of(), "ping");
                assertEquals(0, ping.exitCode(), recipe + ": ping\n" + ping.output());
                assertTrue(ping.output().contains("Connection has been established successfully."), ping.output());
                Exec refused = exec(id, List.of("-e", "DB_PORT=" + Stores.freePort()), "ping");
                assertEquals(1, refused.exitCode(), recipe + ": ping without a database there fails\n" + refused.output());

                assertEquals(0, applied(postgres), "nothing migrated before the command");
                Exec migrate = exec(id, List.of(), "-XX:NativeMemoryTracking=summary", "-XX:+UnlockDiagnosticVMOptions",
                        "-XX:+PrintNMTStatistics", "migrate");
                assertEquals(0, migrate.exitCode(), recipe + ": migrate\n" + migrate.output());
                assertTrue(applied(postgres) > 0, recipe + ": migrate applied the schema");
                assertEquals(200, http.get("/all").status(), "the service reads the migrated schema");

                String state = docker.docker("inspect", "--format", "{{.State.Status}} oom={{.State.OOMKilled}}", id);
                assertEquals("running oom=false", state, recipe + ": the server survived its pod-mate");
                assertTrue(http.answersOk("/health/readiness"), "and still serves");
                Matcher total = NMT_TOTAL.matcher(migrate.output());
                String second = total.find() ? Long.parseLong(total.group(3)) / (total.group(4) == null ? 1024 * 1024 : 1024)
                        + " MiB committed" : "not reported";
                System.err.printf("%s image: migrate's JVM %s; the container (server and command) now uses %s of 256m%n",
                        recipe, second, docker.docker("stats", "--no-stream", "--format", "{{.MemUsage}}", id));
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError(e.getMessage() + "\nserver log:\n" + docker.docker("logs", "--tail", "40", id), e);
            } finally {
                docker.docker("rm", "-f", id);
            }
        }
    }

    /** Runs the shared command line inside the running container, as kubectl exec does. */
    private static Exec exec(String container, List<String> execOptions, String... argumentsAndCommand) throws Exception {
        List<String> line = new ArrayList<>(List.of("docker", "exec"));
        line.addAll(execOptions);
        line.add(container);
        List<String> jvm = new ArrayList<>(COMMAND);
        // JVM options go before -cp, the command (last) after the main class
        List<String> extra = List.of(argumentsAndCommand).subList(0, argumentsAndCommand.length - 1);
        jvm.addAll(3, extra);
        jvm.add(argumentsAndCommand[argumentsAndCommand.length - 1]);
        line.addAll(jvm);
        Path output = Files.createTempFile("exec-", ".out");
        ProcessBuilder builder = new ProcessBuilder(line).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().putAll(docker.environment());
        Process process = builder.start();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError(line + " did not finish in 2 minutes");
        }
        String printed = Files.readString(output);
        Files.delete(output);
        return new Exec(process.exitValue(), printed);
    }

    private record Exec(int exitCode, String output) {
    }

    private static int applied(StoreServer postgres) throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + postgres.address().port()
                + "/" + postgres.address().database(), postgres.address().user(), Objects.toString(postgres.address().password(), ""));
             ResultSet tables = connection.getMetaData().getTables(null, null, "flyway_schema_history", null)) {
            if (!tables.next()) {
                return 0;
            }
            try (ResultSet rows = connection.createStatement().executeQuery("select count(*) from flyway_schema_history where success")) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }

    private static String last(String printed) {
        return printed.strip().lines().reduce((first, second) -> second).orElseThrow();
    }

    private static String script(Map<String, String> environment, String... line) throws Exception {
        return docker.inRepository(List.of(line), environment, Duration.ofMinutes(15));
    }

}
