package io.microcanary.localstores;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Every embedded store is a real server, refuses connections while stopped and keeps its data across restarts. */
class EmbeddedStoresTest {

    private static final Map<String, String> EMBEDDED = Map.of(Stores.MODE_VARIABLE, "embedded");

    @Test
    void postgresKeepsRowsAcrossAnOutage() throws SQLException {
        try (StoreServer postgres = Stores.start(StoreKind.POSTGRES, 0, EMBEDDED)) {
            String url = postgres.address().jdbcUrl();
            execute(url, "create table survivors (name text)", "insert into survivors values ('kept')");

            postgres.stop();
            assertThrows(SQLException.class, () -> DriverManager.getConnection(url, "postgres", "").close());

            postgres.start();
            try (Connection connection = DriverManager.getConnection(url, "postgres", "");
                 ResultSet rows = connection.createStatement().executeQuery("select name from survivors")) {
                rows.next();
                assertEquals("kept", rows.getString(1));
            }
        }
    }

    @Test
    void redisKeepsListsAcrossAnOutage() throws IOException {
        try (StoreServer redis = Stores.start(StoreKind.REDIS, 0, EMBEDDED)) {
            int port = redis.address().port();
            assertEquals(":1", redis(port, "RPUSH", "queue", "event-1"));

            redis.stop();
            assertThrows(IOException.class, () -> redis(port, "PING"));

            redis.start();
            assertEquals("$7", redis(port, "LPOP", "queue"));
        }
    }

    @Test
    void mongoKeepsDocumentsAcrossAnOutage() {
        try (StoreServer mongo = Stores.start(StoreKind.MONGO, 0, EMBEDDED)) {
            try (MongoClient client = MongoClients.create(mongo.url())) {
                client.getDatabase("audit").getCollection("audit").insertOne(new Document("calc", "2+3"));
            }

            mongo.stop();
            mongo.start();

            try (MongoClient client = MongoClients.create(mongo.url())) {
                MongoCollection<Document> audit = client.getDatabase("audit").getCollection("audit");
                assertEquals("2+3", audit.find().first().getString("calc"));
            }
        }
    }

    @Test
    void anExternalServerIsUsedAsGivenAndNeverStopped() {
        StoreServer external = Stores.start(StoreKind.REDIS, 0, Map.of("REDIS_URL", "redis://10.1.2.3:6390"));

        assertEquals("redis://10.1.2.3:6390", external.url());
        UnsupportedOperationException error = assertThrows(UnsupportedOperationException.class, external::stop);
        assertEquals("an outage test needs a server it can stop, but REDIS_URL points at an external one; "
                + "unset it to use an embedded server", error.getMessage());
    }

    private static void execute(String url, String... statements) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, "postgres", "");
             Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    /** Sends one command in RESP and returns the first line of the reply. */
    private static String redis(int port, String... command) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            StringBuilder resp = new StringBuilder("*").append(command.length).append("\r\n");
            for (String part : command) {
                resp.append('$').append(part.length()).append("\r\n").append(part).append("\r\n");
            }
            OutputStream out = socket.getOutputStream();
            out.write(resp.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8)).readLine();
        }
    }
}
