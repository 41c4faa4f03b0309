package io.microcanary.infrastructure;

import io.microcanary.testsupport.stores.StoreKind;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;

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
            assertEquals("POSTGRES_HOST='127.0.0.1'\nPOSTGRES_PORT='" + postgres.port() + "'\nPOSTGRES_USER='postgres'\n"
                    + "POSTGRES_PASSWORD=''\nREDIS_URI='" + stack.server(StoreKind.REDIS).url() + "'\n"
                    + "MONGODB_URI='" + stack.server(StoreKind.MONGO).url() + "'\n", stack.environment());
        }
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
