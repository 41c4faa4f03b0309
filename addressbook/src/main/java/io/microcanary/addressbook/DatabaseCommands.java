package io.microcanary.addressbook;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.Environment;
import org.flywaydb.core.api.output.MigrateResult;

import javax.sql.DataSource;
import java.io.PrintStream;
import java.util.Map;
import java.util.Set;

/**
 * {@code ping} and {@code migrate}: run against the configured database without starting the HTTP server,
 * exiting 0 on success and 1 on failure, so {@code kubectl exec <canary-pod> -- ... ping} is a smoke check.
 */
final class DatabaseCommands {

    static final String PING = "ping";
    static final String MIGRATE = "migrate";
    private static final Set<String> COMMANDS = Set.of(PING, MIGRATE);

    private DatabaseCommands() {
    }

    static boolean isCommand(String argument) {
        return COMMANDS.contains(argument);
    }

    static int run(String command, PrintStream out, PrintStream err) {
        // The commands are about the database alone: no migration on start-up, no HTTP server, no scheduler, and no
        // metrics, whose binders log from a common-pool thread that could print after the result.
        Map<String, Object> commandSettings = Map.of(
                Migrations.ON_START, false,
                "micronaut.server.port", -1,
                "endpoints.all.enabled", false,
                "micronaut.metrics.enabled", false);
        Outcome outcome;
        try (ApplicationContext context = ApplicationContext.builder()
                .environments(Environment.CLI)
                .properties(commandSettings)
                .deduceEnvironment(false)
                .start()) {
            outcome = PING.equals(command) ? ping(context.getBean(DatabaseProbe.class))
                    : migrate(context.getBean(DataSource.class), context.getBean(SchemaOwner.class));
        } catch (RuntimeException e) {
            outcome = Outcome.failed("Unable to connect to the database: " + summary(e));
        }
        // printed once the context is closed, after the pool's shutdown log: the result is the output's last line,
        // which is what the canary's smoke check shows
        (outcome.succeeded() ? out : err).println(outcome.message());
        return outcome.succeeded() ? 0 : 1;
    }

    private record Outcome(boolean succeeded, String message) {
        static Outcome failed(String message) {
            return new Outcome(false, message);
        }
    }

    private static Outcome ping(DatabaseProbe probe) {
        return probe.problem().map(problem -> Outcome.failed("Unable to connect to the database: " + problem))
                .orElseGet(() -> new Outcome(true, "Connection has been established successfully."));
    }

    private static Outcome migrate(DataSource pool, SchemaOwner owner) {
        try {
            MigrateResult result = Migrations.apply(pool, owner);
            return new Outcome(true, "Migrations applied: " + result.migrationsExecuted + "; schema version: "
                    + (result.targetSchemaVersion != null ? result.targetSchemaVersion : result.initialSchemaVersion));
        } catch (RuntimeException e) {
            return Outcome.failed("Migration failed: " + summary(e));
        }
    }

    /** The first line of the innermost message: enough to act on, without a stack trace. */
    private static String summary(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return message.lines().findFirst().orElse(message);
    }
}
