package io.microcanary.addressbook;

import io.microcanary.localstores.PostgresRoles;
import io.microcanary.localstores.StoreAddress;
import io.microcanary.localstores.StoreServer;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.UUID;

/**
 * The addressbook's own settings for a given PostgreSQL server, in the original env variables' terms, with the
 * cluster's two roles: the service as {@code addressbook_app} (read and write only), migrations as
 * {@code addressbook_owner}. So a grant the service lacks fails a test here.
 */
final class AddressbookDatabase {

    static final String DATABASE = "addressbook";
    // one pair per test JVM: every bootstrap of the same server sets the same passwords
    private static final String OWNER_PASSWORD = "owner-" + UUID.randomUUID();
    private static final String APP_PASSWORD = "app-" + UUID.randomUUID();

    private AddressbookDatabase() {
    }

    /** Creates (or keeps) the database and both roles on the server. */
    static PostgresRoles.Database on(StoreServer postgres) {
        return on(postgres, DATABASE);
    }

    static PostgresRoles.Database on(StoreServer postgres, String database) {
        return PostgresRoles.bootstrap(postgres.address(), database, OWNER_PASSWORD, APP_PASSWORD);
    }

    static Map<String, String> settingsFor(StoreServer postgres) {
        PostgresRoles.Database database = on(postgres);
        StoreAddress app = database.app();
        return Map.of(
                "datasources.default.url", "jdbc:postgresql://" + app.host() + ":" + app.port() + "/" + app.database()
                        + "?connectTimeout=2&socketTimeout=10",
                "datasources.default.username", app.user(),
                "datasources.default.password", app.password(),
                "addressbook.migrations.user", database.owner().name(),
                "addressbook.migrations.password", database.owner().password());
    }

    /** The same, as the environment a container gets: {@code DB_HOST}, {@code DB_PORT}, ... */
    static Map<String, String> environmentFor(StoreServer postgres) {
        return environmentFor(on(postgres));
    }

    static Map<String, String> environmentFor(PostgresRoles.Database database) {
        StoreAddress app = database.app();
        return Map.of("DB_HOST", app.host(), "DB_PORT", String.valueOf(app.port()), "DB_SCHEMA", app.database(),
                "DB_USER", app.user(), "DB_PASSWORD", app.password(),
                "DB_OWNER_USER", database.owner().name(), "DB_OWNER_PASSWORD", database.owner().password());
    }

    /** A connection as the service's role, as its pool has. */
    static Connection connectAsApp(StoreServer postgres) throws SQLException {
        StoreAddress app = on(postgres).app();
        return DriverManager.getConnection(app.jdbcUrl(), app.user(), app.password());
    }

    /** A row written straight to the table, as another replica would: returns its id. */
    static long insertElsewhere(StoreServer postgres, String firstName) {
        try (Connection connection = connectAsApp(postgres);
             PreparedStatement insert = connection.prepareStatement("INSERT INTO people (first_name) VALUES (?) RETURNING id")) {
            insert.setString(1, firstName);
            try (ResultSet row = insert.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not insert into " + postgres.url(), e);
        }
    }
}
