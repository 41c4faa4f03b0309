package io.microcanary.addressbook;

import io.microcanary.testsupport.http.Http;
import io.microcanary.localstores.StoreKind;
import io.microcanary.localstores.StoreServer;
import io.microcanary.localstores.Stores;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The service runs as {@code addressbook_app}, which may read and write the tables but not change the schema;
 * the migrations at start-up ran as {@code addressbook_owner}, which owns them.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LeastPrivilegeTest implements TestPropertyProvider {

    /** PostgreSQL's SQLSTATE insufficient_privilege. */
    private static final String INSUFFICIENT_PRIVILEGE = "42501";

    private final StoreServer postgres = Stores.shared(StoreKind.POSTGRES);

    @Inject
    EmbeddedServer server;

    @Inject
    DataSource dataSource;

    @Override
    public Map<String, String> getProperties() {
        return AddressbookDatabase.settingsFor(postgres);
    }

    @Test
    void theServicesPoolConnectsAsTheAppRoleAndTheOwnerRoleOwnsTheTables() throws SQLException {
        try (Connection connection = DelegatingDataSource.unwrapDataSource(dataSource).getConnection();
             Statement statement = connection.createStatement()) {
            assertEquals("addressbook_app", single(statement, "SELECT current_user"));
            assertEquals("addressbook_owner", single(statement, "SELECT tableowner FROM pg_tables WHERE tablename = 'people'"));
            assertEquals("addressbook_owner", single(statement,
                    "SELECT tableowner FROM pg_tables WHERE tablename = 'flyway_schema_history'"));
        }
    }

    @Test
    void theServiceReadsAndWritesEndToEndAsTheAppRole() {
        Http http = Http.at(server.getURI());

        Http.Response created = http.putForm("/person", "firstName=least&lastName=privilege");
        assertEquals(200, created.status(), created::toString);
        long id = created.json().get("id").asLong();
        Http.Response read = http.get("/person/" + id);
        assertEquals("privilege", read.json().get("lastName").asText(), read::toString);
        assertEquals(204, http.delete("/person/" + id).status());
        assertEquals(404, http.get("/person/" + id).status());
    }

    @Test
    void theAppRoleCannotCreateATable() throws SQLException {
        assertRefused("CREATE TABLE intruder (id int)", "permission denied for schema public");
    }

    @Test
    void theAppRoleCannotDropOrAlterTheServicesTable() throws SQLException {
        assertRefused("DROP TABLE people", "must be owner of table people");
        assertRefused("ALTER TABLE people ADD COLUMN intruder text", "must be owner of table people");
        assertRefused("TRUNCATE people", "permission denied for table people");
    }

    @Test
    void theAppRoleCanStillListenForChanges() throws SQLException {
        try (Connection connection = AddressbookDatabase.connectAsApp(postgres);
             Statement statement = connection.createStatement()) {
            statement.execute("LISTEN people_changed");
            statement.execute("UNLISTEN people_changed");
        }
    }

    private void assertRefused(String sql, String expectedMessage) throws SQLException {
        try (Connection connection = AddressbookDatabase.connectAsApp(postgres);
             Statement statement = connection.createStatement()) {
            SQLException refused = assertThrows(SQLException.class, () -> statement.execute(sql), sql);
            assertEquals(INSUFFICIENT_PRIVILEGE, refused.getSQLState(), refused::getMessage);
            assertEquals("ERROR: " + expectedMessage, refused.getMessage().lines().findFirst().orElse(""), sql);
        }
    }

    private static String single(Statement statement, String query) throws SQLException {
        try (ResultSet row = statement.executeQuery(query)) {
            row.next();
            return row.getString(1);
        }
    }
}
