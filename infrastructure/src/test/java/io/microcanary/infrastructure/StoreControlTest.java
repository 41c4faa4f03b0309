package io.microcanary.infrastructure;

import io.microcanary.localstores.StoreKind;
import io.microcanary.testsupport.Poller;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StoreControlTest {

    @TempDir
    Path requests;

    @Test
    void stopsOneStoreAndStartsItAgainWithItsDataWhileTheOthersRun() throws Exception {
        DevStackOptions options = DevStackOptions.parse("--postgres-port", "0", "--redis-port", "0", "--mongo-port", "0",
                "--databases", "addressbook");
        try (DevStack stack = DevStack.start(options, quiet());
             StoreControl control = StoreControl.serve(requests, stack, quiet())) {
            String url = "jdbc:postgresql://127.0.0.1:" + stack.server(StoreKind.POSTGRES).address().port() + "/addressbook";
            try (Connection connection = DriverManager.getConnection(url, "postgres", "");
                 Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE kept (name text)");
                statement.execute("INSERT INTO kept VALUES ('before the outage')");
            }

            assertEquals("0\npostgres stopped; the services keep running (./run-local.sh start postgres starts it again "
                    + "with its data)\n", ask("stop postgres"));
            SQLException refused = assertThrows(SQLException.class, () -> DriverManager.getConnection(url, "postgres", ""));
            assertEquals("08001", refused.getSQLState(), refused::getMessage);
            try (var redis = new java.net.Socket("127.0.0.1", stack.server(StoreKind.REDIS).address().port())) {
                assertTrue(redis.isConnected(), "redis still listens");
            }

            assertEquals("0\npostgres started on " + stack.server(StoreKind.POSTGRES).address().port()
                    + " with its data\n", ask("start postgres"));
            try (Connection connection = DriverManager.getConnection(url, "postgres", "");
                 ResultSet rows = connection.createStatement().executeQuery("SELECT name FROM kept")) {
                assertTrue(rows.next());
                assertEquals("before the outage", rows.getString(1));
            }
        }
    }

    @Test
    void refusesAnUnknownStoreOrVerbNamingWhatItRuns() throws Exception {
        DevStackOptions options = DevStackOptions.parse("--postgres-port", "0", "--redis-port", "0", "--mongo-port", "0");
        try (DevStack stack = DevStack.start(options, quiet());
             StoreControl control = StoreControl.serve(requests, stack, quiet())) {
            assertEquals("1\nno store named 'mysql'; the dev stack runs postgres, redis, mongo\n", ask("stop mysql"));
            assertEquals("1\nexpected 'stop <store>' or 'start <store>', got 'restart redis'\n", ask("restart redis"));
        }
    }

    /** Writes a request as run-local.sh does and waits for the reply. */
    private String ask(String request) throws Exception {
        String id = "r" + System.nanoTime();
        Path temporary = requests.resolve(id + ".tmp");
        Files.writeString(temporary, request + "\n");
        Files.move(temporary, requests.resolve(id + ".request"));
        Path reply = requests.resolve(id + ".reply");
        Poller.within(Duration.ofSeconds(60)).until("a reply to '" + request + "'", () -> Files.exists(reply));
        return Files.readString(reply);
    }

    private static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    }
}
