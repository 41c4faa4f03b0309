package io.microcanary.infrastructure;

import io.microcanary.localstores.StoreKind;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DevStackTest {

    @Test
    void startsEveryStoreCreatesTheDatabasesAndReportsWhereTheyAre() throws Exception {
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        DevStackOptions options = DevStackOptions.parse("--postgres-port", "0", "--redis-port", "0", "--mongo-port", "0",
                "--databases", "addressbook,other");

        try (DevStack stack = DevStack.start(options, new PrintStream(progress, true, StandardCharsets.UTF_8))) {
            var postgres = stack.server(StoreKind.POSTGRES).address();
            try (Connection connection = DriverManager.getConnection(
                    "jdbc:postgresql://127.0.0.1:" + postgres.port() + "/other", "postgres", "")) {
                assertTrue(connection.isValid(2));
            }
            for (StoreKind kind : List.of(StoreKind.REDIS, StoreKind.MONGO)) {
                try (Socket socket = new Socket("127.0.0.1", stack.server(kind).address().port())) {
                    assertTrue(socket.isConnected(), kind + " listens");
                }
            }
            String printed = progress.toString(StandardCharsets.UTF_8);
            assertTrue(printed.contains("postgres  postgresql://127.0.0.1:" + postgres.port() + "/postgres"), printed);
            String password = "'[0-9a-f]{48}'";
            String environment = stack.environment();
            assertTrue(environment.matches("POSTGRES_HOST='127.0.0.1'\nPOSTGRES_PORT='" + postgres.port() + "'\nPOSTGRES_USER='postgres'\n"
                    + "POSTGRES_PASSWORD=''\n"
                    + "ADDRESSBOOK_DB_OWNER_USER='addressbook_owner'\nADDRESSBOOK_DB_OWNER_PASSWORD=" + password + "\n"
                    + "ADDRESSBOOK_DB_APP_USER='addressbook_app'\nADDRESSBOOK_DB_APP_PASSWORD=" + password + "\n"
                    + "OTHER_DB_OWNER_USER='other_owner'\nOTHER_DB_OWNER_PASSWORD=" + password + "\n"
                    + "OTHER_DB_APP_USER='other_app'\nOTHER_DB_APP_PASSWORD=" + password + "\n"
                    + "REDIS_URI='" + Pattern.quote(stack.server(StoreKind.REDIS).url()) + "'\n"
                    + "MONGODB_URI='" + Pattern.quote(stack.server(StoreKind.MONGO).url()) + "'\n"), environment);
        }
    }

    @Test
    void eachDatabaseHasAnOwnerRoleForMigrationsAndAnAppRoleThatCannotChangeTheSchema() throws Exception {
        DevStackOptions options = DevStackOptions.parse("--postgres-port", "0", "--redis-port", "0", "--mongo-port", "0");

        try (DevStack stack = DevStack.start(options, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))) {
            Map<String, String> env = parse(stack.environment());
            String url = "jdbc:postgresql://127.0.0.1:" + env.get("POSTGRES_PORT") + "/addressbook";
            try (Connection owner = DriverManager.getConnection(url, env.get("ADDRESSBOOK_DB_OWNER_USER"),
                    env.get("ADDRESSBOOK_DB_OWNER_PASSWORD"));
                 Statement statement = owner.createStatement()) {
                statement.execute("CREATE TABLE later_migration (id bigserial PRIMARY KEY, name text)");
            }
            try (Connection app = DriverManager.getConnection(url, env.get("ADDRESSBOOK_DB_APP_USER"),
                    env.get("ADDRESSBOOK_DB_APP_PASSWORD"));
                 Statement statement = app.createStatement()) {
                // the default privileges cover a table the owner created after the bootstrap
                statement.execute("INSERT INTO later_migration (name) VALUES ('row')");
                statement.execute("UPDATE later_migration SET name = 'changed'");
                statement.execute("DELETE FROM later_migration");
                SQLException create = assertThrows(SQLException.class, () -> statement.execute("CREATE TABLE intruder (id int)"));
                assertEquals("42501", create.getSQLState(), create::getMessage);
                SQLException drop = assertThrows(SQLException.class, () -> statement.execute("DROP TABLE later_migration"));
                assertEquals("42501", drop.getSQLState(), drop::getMessage);
            }
        }
    }

    private static Map<String, String> parse(String environment) {
        Map<String, String> values = new HashMap<>();
        environment.lines().forEach(line -> {
            String[] parts = line.split("=", 2);
            values.put(parts[0], parts[1].substring(1, parts[1].length() - 1));
        });
        return values;
    }

    @Test
    void takesTheStandardPortWhenFreeAndOtherwiseAFreeOneSayingSoInOneLine() throws Exception {
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        int redisPort = StoreKind.REDIS.standardPort();
        // whoever holds 6379 (a developer's own Redis, or this socket) makes the stack move its Redis elsewhere
        try (ServerSocket held = DevStack.free(redisPort) ? new ServerSocket(redisPort) : null;
             DevStack stack = DevStack.start(DevStackOptions.parse("--postgres-port", "0", "--mongo-port", "0"),
                     new PrintStream(progress, true, StandardCharsets.UTF_8))) {
            int port = stack.server(StoreKind.REDIS).address().port();
            assertNotEquals(redisPort, port);
            String printed = progress.toString(StandardCharsets.UTF_8);
            assertEquals(List.of("standard ports in use, so redis on " + port + " (not 6379)"),
                    printed.lines().filter(line -> line.startsWith("standard ports")).toList(), printed);
            assertTrue(stack.environment().contains("REDIS_URI='redis://127.0.0.1:" + port + "'"), stack.environment());
        }
    }

    @Test
    void rejectsABadPortNamingTheOption() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> DevStackOptions.parse("--redis-port", "sixty"));
        assertEquals("--redis-port must be a port number (0 for any free port), was 'sixty'", error.getMessage());
    }

    @Test
    void rejectsAnOptionWithoutAValue() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> DevStackOptions.parse("--env-file"));
        assertEquals("--env-file needs a value", error.getMessage());
    }
}
