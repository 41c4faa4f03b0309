package io.microcanary.addressbook;

import io.microcanary.testsupport.stores.StoreAddress;
import io.microcanary.testsupport.stores.StoreServer;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;

/** The addressbook's own settings for a given PostgreSQL server, in the original env variables' terms. */
final class AddressbookDatabase {

    private AddressbookDatabase() {
    }

    static Map<String, String> settingsFor(StoreServer postgres) {
        StoreAddress db = postgres.address();
        return Map.of(
                "datasources.default.url", "jdbc:postgresql://" + db.host() + ":" + db.port() + "/" + db.database()
                        + "?connectTimeout=2&socketTimeout=10",
                "datasources.default.username", db.user(),
                "datasources.default.password", db.password());
    }

    /** The same, as the environment a container gets: {@code DB_HOST}, {@code DB_PORT}, ... */
    static Map<String, String> environmentFor(StoreServer postgres) {
        StoreAddress db = postgres.address();
        return Map.of("DB_HOST", db.host(), "DB_PORT", String.valueOf(db.port()), "DB_SCHEMA", db.database(),
                "DB_USER", db.user(), "DB_PASSWORD", db.password());
    }

    /** A row written straight to the table, as another replica (or an operator's psql) would: returns its id. */
    static long insertElsewhere(StoreServer postgres, String firstName) {
        StoreAddress db = postgres.address();
        try (Connection connection = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
             PreparedStatement insert = connection.prepareStatement("INSERT INTO people (first_name) VALUES (?) RETURNING id")) {
            insert.setString(1, firstName);
            try (ResultSet row = insert.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not insert into " + db.jdbcUrl(), e);
        }
    }
}
