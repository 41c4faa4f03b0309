package io.microcanary.addressbook;

import io.micronaut.context.annotation.Value;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import jakarta.inject.Singleton;
import org.flywaydb.core.api.configuration.FluentConfiguration;

import javax.sql.DataSource;

/**
 * The role migrations connect as: {@code DB_OWNER_USER} / {@code DB_OWNER_PASSWORD}, the owner of the tables, while
 * the service's pool connects as {@code DB_USER}, a role that may only read and write them. Without
 * {@code DB_OWNER_USER} (a single-user setup) migrations use the pool, as {@code DB_USER}.
 */
@Singleton
final class SchemaOwner {

    private final String url;
    private final String user;
    private final String password;

    SchemaOwner(@Value("${datasources.default.url}") String url,
                @Value("${addressbook.migrations.user:}") String user,
                @Value("${addressbook.migrations.password:}") String password) {
        this.url = url;
        this.user = user;
        this.password = password;
    }

    FluentConfiguration connect(FluentConfiguration flyway, DataSource pool) {
        return user.isBlank()
                // the injected DataSource is Micronaut Data's contextual proxy; Flyway needs plain pooled connections
                ? flyway.dataSource(DelegatingDataSource.unwrapDataSource(pool))
                : flyway.dataSource(url, user, password);
    }

    /** For the log: who ran the migrations. */
    String describe() {
        return user.isBlank() ? "the service's user (DB_OWNER_USER unset)" : user;
    }
}
