package io.microcanary.infrastructure;

import io.microcanary.localstores.PostgresRoles;
import io.microcanary.localstores.StoreAddress;
import io.microcanary.localstores.StoreKind;
import io.microcanary.localstores.StoreServer;
import io.microcanary.localstores.Stores;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cluster's bootstrap ({@code k8s/postgres-init/addressbook-roles.sh}) run as the official image's entrypoint
 * runs it (psql as the superuser, in {@code POSTGRES_DB}) against a real PostgreSQL: it grants exactly what
 * {@link PostgresRoles}, which the tests and the dev stack use, grants, so the service's tests speak for the cluster.
 * Needs {@code psql} on the PATH (the postgresql-client package), as the image has.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresRolesScriptTest {

    private static final Path SCRIPT = Path.of("k8s/postgres-init/addressbook-roles.sh");

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
    void theScriptGrantsWhatTheTestsBootstrapGrants() throws Exception {
        runScript("viascript", "viascript_owner", "viascript_app");
        PostgresRoles.bootstrap(postgres.address(), "viajava", "owner-secret", "app-secret");

        List<String> script = privileges("viascript").stream().map(line -> line.replace("viascript", "DB")).toList();
        assertEquals(privileges("viajava").stream().map(line -> line.replace("viajava", "DB")).toList(), script);
        // database, schema, default privileges for tables (r) and sequences (S), two roles: nothing compared is missing
        assertEquals(List.of("database", "schema", "default S", "default r", "role", "role"),
                script.stream().map(line -> line.substring(0, line.indexOf(" |"))).toList(), script::toString);
        assertTrue(script.contains("default r | DB_owner | {DB_app=arwd/DB_owner}"), script::toString);
    }

    @Test
    void theAppRoleWritesTheOwnersLaterTablesButCannotChangeTheSchema() throws Exception {
        runScript("scripted", "scripted_owner", "scripted_app");
        try (Connection owner = connect("scripted", "scripted_owner", "owner-secret");
             Statement statement = owner.createStatement()) {
            statement.execute("CREATE TABLE people (id bigserial PRIMARY KEY, name text)");
        }
        try (Connection app = connect("scripted", "scripted_app", "app-secret");
             Statement statement = app.createStatement()) {
            statement.execute("INSERT INTO people (name) VALUES ('a')");
            statement.execute("SELECT setval('people_id_seq', 10)");
            statement.execute("LISTEN people_changed");
            SQLException create = assertThrows(SQLException.class, () -> statement.execute("CREATE TABLE intruder (id int)"));
            assertEquals("ERROR: permission denied for schema public", firstLine(create));
            SQLException drop = assertThrows(SQLException.class, () -> statement.execute("DROP TABLE people"));
            assertEquals("ERROR: must be owner of table people", firstLine(drop));
        }
        try (Connection app = connect("postgres", "scripted_app", "app-secret");
             Statement statement = app.createStatement();
             ResultSet row = statement.executeQuery("SELECT rolsuper OR rolcreatedb OR rolcreaterole FROM pg_roles "
                     + "WHERE rolname IN ('scripted_owner', 'scripted_app')")) {
            while (row.next()) {
                assertFalse(row.getBoolean(1), "neither role may be a superuser or create databases or roles");
            }
        }
    }

    /** As the entrypoint: the database exists (POSTGRES_DB), the script runs as the superuser in it. */
    private void runScript(String database, String owner, String app) throws IOException, InterruptedException, SQLException {
        StoreAddress superuser = postgres.address();
        try (Connection server = DriverManager.getConnection(superuser.jdbcUrl(), superuser.user(), superuser.password());
             Statement statement = server.createStatement()) {
            statement.execute("CREATE DATABASE " + database);
        }
        ProcessBuilder builder = new ProcessBuilder("sh", SCRIPT.toString()).redirectErrorStream(true);
        builder.environment().putAll(Map.of(
                "PGHOST", superuser.host(), "PGPORT", String.valueOf(superuser.port()),
                "POSTGRES_USER", superuser.user(), "POSTGRES_DB", database,
                "ADDRESSBOOK_OWNER_USER", owner, "ADDRESSBOOK_OWNER_PASSWORD", "owner-secret",
                "ADDRESSBOOK_APP_USER", app, "ADDRESSBOOK_APP_PASSWORD", "app-secret"));
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new AssertionError("could not run " + SCRIPT + " (it needs sh and psql: apt-get install -y postgresql-client)", e);
        }
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), SCRIPT + " did not finish within 60 s");
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), output);
    }

    /** Who may do what in the database: its ACL, the public schema's, the default privileges and the roles' flags. */
    private List<String> privileges(String database) throws SQLException {
        List<String> lines = new ArrayList<>();
        StoreAddress superuser = postgres.address();
        try (Connection connection = connect(database, superuser.user(), superuser.password());
             Statement statement = connection.createStatement()) {
            collect(statement, lines, "SELECT 'database', datdba::regrole::text, datacl::text FROM pg_database WHERE datname = current_database()");
            collect(statement, lines, "SELECT 'schema', nspowner::regrole::text, nspacl::text FROM pg_namespace WHERE nspname = 'public'");
            collect(statement, lines, "SELECT 'default ' || defaclobjtype::text, defaclrole::regrole::text, defaclacl::text FROM pg_default_acl ORDER BY 1");
            collect(statement, lines, "SELECT 'role', rolname, concat_ws(',', rolsuper, rolcreatedb, rolcreaterole, rolcanlogin, rolbypassrls)"
                    + " FROM pg_roles WHERE rolname LIKE current_database() || '\\_%' ORDER BY 2");
        }
        return lines;
    }

    private static void collect(Statement statement, List<String> lines, String query) throws SQLException {
        try (ResultSet rows = statement.executeQuery(query)) {
            while (rows.next()) {
                lines.add(rows.getString(1) + " | " + rows.getString(2) + " | " + rows.getString(3));
            }
        }
    }

    private Connection connect(String database, String user, String password) throws SQLException {
        StoreAddress address = postgres.address();
        return DriverManager.getConnection("jdbc:postgresql://" + address.host() + ":" + address.port() + "/" + database,
                user, password);
    }

    private static String firstLine(SQLException e) {
        return e.getMessage().lines().findFirst().orElse("");
    }
}
