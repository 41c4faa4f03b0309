package io.microcanary.localstores;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * A service's database with two roles, as the cluster's bootstrap ({@code infrastructure/k8s/postgres-roles.sh})
 * makes it: the owner role owns the database and its {@code public} schema and runs the migrations; the app role
 * may only read and write the tables and use the sequences the owner creates, now or in later migrations. The dev
 * stack and the tests use this, so a grant the service lacks fails here before it fails in the cluster.
 *
 * <p>Idempotent: run again, it keeps the database and its data and only (re)sets the passwords and grants.
 */
public final class PostgresRoles {

    private PostgresRoles() {
    }

    /** A login role and its password. */
    public record Role(String name, String password) {
    }

    /** What a service needs to reach its database: the address as the app role, and the owner for migrations. */
    public record Database(StoreAddress app, Role owner) {

        public String jdbcUrl() {
            return app.jdbcUrl();
        }
    }

    /** {@code <database>_owner} and {@code <database>_app}, the names the cluster's bootstrap uses too. */
    public static Database bootstrap(StoreAddress superuser, String database, String ownerPassword, String appPassword) {
        return bootstrap(superuser, database, new Role(database + "_owner", ownerPassword), new Role(database + "_app", appPassword));
    }

    public static Database bootstrap(StoreAddress superuser, String database, Role owner, Role app) {
        try (Connection server = DriverManager.getConnection(superuser.jdbcUrl(), superuser.user(), superuser.password())) {
            for (Role role : List.of(owner, app)) {
                ensureRole(server, role);
            }
            if (!exists(server, "SELECT 1 FROM pg_database WHERE datname = ?", database)) {
                execute(server, "CREATE DATABASE " + identifier(database) + " OWNER " + identifier(owner.name()));
            }
            execute(server, "ALTER DATABASE " + identifier(database) + " OWNER TO " + identifier(owner.name()));
            execute(server, "REVOKE ALL ON DATABASE " + identifier(database) + " FROM PUBLIC");
            execute(server, "GRANT CONNECT ON DATABASE " + identifier(database) + " TO " + identifier(app.name()));
        } catch (SQLException e) {
            throw new IllegalStateException("could not create the roles of " + database + " on " + superuser.url()
                    + ": " + e.getMessage(), e);
        }
        StoreAddress inDatabase = new StoreAddress(StoreKind.POSTGRES, superuser.host(), superuser.port(),
                superuser.user(), superuser.password(), database);
        try (Connection connection = DriverManager.getConnection(inDatabase.jdbcUrl(), superuser.user(), superuser.password());
             Statement statement = connection.createStatement()) {
            for (String grant : grants(owner.name(), app.name())) {
                statement.execute(grant);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not grant " + app.name() + " its privileges in " + database + ": "
                    + e.getMessage(), e);
        }
        return new Database(new StoreAddress(StoreKind.POSTGRES, superuser.host(), superuser.port(), app.name(),
                app.password(), database), owner);
    }

    /**
     * In the database: the owner owns {@code public} and nobody else may create in it; the app role gets DML on the
     * owner's tables and its sequences, those there now and, through default privileges, those migrations add later.
     * UPDATE on sequences is for {@code setval}: addressbook moves its sequence past a client-chosen id.
     */
    static List<String> grants(String owner, String app) {
        String o = identifier(owner);
        String a = identifier(app);
        return List.of(
                "ALTER SCHEMA public OWNER TO " + o,
                "REVOKE CREATE ON SCHEMA public FROM PUBLIC",
                "GRANT USAGE ON SCHEMA public TO " + a,
                "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO " + a,
                "GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO " + a,
                "ALTER DEFAULT PRIVILEGES FOR ROLE " + o + " IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO " + a,
                "ALTER DEFAULT PRIVILEGES FOR ROLE " + o + " IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO " + a);
    }

    private static void ensureRole(Connection server, Role role) throws SQLException {
        String verb = exists(server, "SELECT 1 FROM pg_roles WHERE rolname = ?", role.name()) ? "ALTER" : "CREATE";
        // NOSUPERUSER etc. are the defaults; stated, so a role someone made by hand with more is brought back down
        execute(server, verb + " ROLE " + identifier(role.name())
                + " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD " + literal(role.password()));
    }

    private static boolean exists(Connection connection, String query, String name) throws SQLException {
        try (PreparedStatement check = connection.prepareStatement(query)) {
            check.setString(1, name);
            return check.executeQuery().next();
        }
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    static String identifier(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    private static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
