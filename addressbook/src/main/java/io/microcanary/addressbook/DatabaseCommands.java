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
        // The commands are about the database alone: no migration on start-up, no HTTP server, no scheduler.
        Map<String, Object> commandSettings = Map.of(
                Migrations.ON_START, false,
                "micronaut.server.port", -1,
                "endpoints.all.enabled", false);
        try (ApplicationContext context = ApplicationContext.builder()
                .environments(Environment.CLI)
                .properties(commandSettings)
                .deduceEnvironment(false)
                .start()) {
            return PING.equals(command) ? ping(context.getBean(DatabaseProbe.class), out, err)
                    : migrate(context.getBean(DataSource.class), context.getBean(SchemaOwner.class), out, err);
        } catch (RuntimeException e) {
            err.println("Unable to connect to the database: " + summary(e));
            return 1;
        }
    }

    private static int ping(DatabaseProbe probe, PrintStream out, PrintStream err) {
        return probe.problem().map(problem -> {
            err.println("Unable to connect to the database: " + problem);
            return 1;
        }).orElseGet(() -> {
            out.println("Connection has been established successfully.");
            return 0;
        });
    }

    private static int migrate(DataSource pool, SchemaOwner owner, PrintStream out, PrintStream err) {
        try {
            MigrateResult result = Migrations.apply(pool, owner);
            out.println("Migrations applied: " + result.migrationsExecuted + "; schema version: "
                    + (result.targetSchemaVersion != null ? result.targetSchemaVersion : result.initialSchemaVersion));
            return 0;
        } catch (RuntimeException e) {
            err.println("Migration failed: " + summary(e));
            return 1;
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
