package io.microcanary.addressbook;

import io.microcanary.localstores.StoreKind;
import io.microcanary.localstores.StoreServer;
import io.microcanary.localstores.Stores;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ping} and {@code migrate} as a canary pod runs them: a separate JVM configured only by the original
 * environment variables, judged by exit code and output.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DatabaseCommandsIT {

    private static final long COMMAND_DEADLINE_SECONDS = 60;

    private StoreServer postgres;

    @BeforeAll
    void startDatabase() {
        postgres = Stores.start(StoreKind.POSTGRES);
    }

    @AfterAll
    void stopDatabase() {
        postgres.close();
    }

    @Test
    void pingSucceedsAgainstARunningDatabase() throws Exception {
        Result ping = run("ping", AddressbookDatabase.environmentFor(postgres));

        assertEquals(0, ping.exitCode(), ping::toString);
        assertEquals("Connection has been established successfully.", ping.out().strip(), ping::toString);
    }

    @Test
    void withTheServicesOwnLoggingTheResultIsStillTheLastLineAsTheSmokeCheckShowsIt() throws Exception {
        Result ping = run("ping", AddressbookDatabase.environmentFor(postgres), "logback.xml");

        assertEquals(0, ping.exitCode(), ping::toString);
        List<String> lines = ping.out().strip().lines().toList();
        assertEquals("Connection has been established successfully.", lines.get(lines.size() - 1), ping::toString);
    }

    @Test
    void pingFailsWithAMessageWhenNothingListens() throws Exception {
        Map<String, String> env = new HashMap<>(AddressbookDatabase.environmentFor(postgres));
        env.put("DB_PORT", String.valueOf(Stores.freePort()));

        Result ping = run("ping", env);

        assertEquals(1, ping.exitCode(), ping::toString);
        assertEquals("Unable to connect to the database: database unreachable", ping.err().strip(), ping::toString);
    }

    @Test
    void migrateAppliesTheSchemaOnceAndIsIdempotent() throws Exception {
        Map<String, String> env = AddressbookDatabase.environmentFor(postgres);

        Result first = run("migrate", env);
        Result second = run("migrate", env);

        assertEquals(0, first.exitCode(), first::toString);
        assertEquals("Migrations applied: 3; schema version: 3", first.out().strip(), first::toString);
        assertEquals(0, second.exitCode(), second::toString);
        assertEquals("Migrations applied: 0; schema version: 3", second.out().strip(), second::toString);
    }

    @Test
    void migrateAsTheAppRoleAloneIsRefusedBecauseItMayNotChangeTheSchema() throws Exception {
        Map<String, String> env = new HashMap<>(AddressbookDatabase.environmentFor(
                AddressbookDatabase.on(postgres, "addressbook_unmigrated")));
        env.remove("DB_OWNER_USER");
        env.remove("DB_OWNER_PASSWORD");

        Result migrate = run("migrate", env);

        assertEquals(1, migrate.exitCode(), migrate::toString);
        assertEquals("Migration failed: ERROR: permission denied for schema public", migrate.err().strip(),
                migrate::toString);
    }

    @Test
    void migrateFailsWhenTheDatabaseIsUnreachable() throws Exception {
        Map<String, String> env = new HashMap<>(AddressbookDatabase.environmentFor(postgres));
        env.put("DB_PORT", String.valueOf(Stores.freePort()));

        Result migrate = run("migrate", env);

        assertEquals(1, migrate.exitCode(), migrate::toString);
        assertTrue(migrate.err().startsWith("Migration failed: "), migrate::toString);
    }

    @Test
    void aTrainingRunStartsTheServiceAndExitsCleanly() throws Exception {
        Map<String, String> env = new HashMap<>(AddressbookDatabase.environmentFor(postgres));
        env.put("MICRO_CANARY_EXIT_AFTER_START", "true");
        env.put("MICRO_CANARY_TRAINING_SECONDS", "1");
        env.put("PORT", String.valueOf(Stores.freePort()));

        Result training = run(null, env);

        assertEquals(0, training.exitCode(), training::toString);
    }

    private static Result run(String command, Map<String, String> env) throws IOException, InterruptedException {
        // the service's own logging goes to stdout; keep it quiet so the output is the command's alone
        return run(command, env, Path.of("src/test/resources/logback-commands.xml").toAbsolutePath().toString());
    }

    /** {@code logging}: a logback configuration file, or {@code logback.xml} for the service's own (service-support). */
    private static Result run(String command, Map<String, String> env, String logging) throws IOException, InterruptedException {
        Path out = Files.createTempFile("addressbook-", ".out");
        Path err = Files.createTempFile("addressbook-", ".err");
        List<String> commandLine = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                "-Dlogback.configurationFile=" + logging,
                Application.class.getName()));
        if (command != null) {
            commandLine.add(command);
        }
        ProcessBuilder builder = new ProcessBuilder(commandLine).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        if (!process.waitFor(COMMAND_DEADLINE_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(command + " did not finish within " + COMMAND_DEADLINE_SECONDS + " s");
        }
        Result result = new Result(process.exitValue(), Files.readString(out), Files.readString(err));
        Files.delete(out);
        Files.delete(err);
        return result;
    }

    private record Result(int exitCode, String out, String err) {
    }
}
