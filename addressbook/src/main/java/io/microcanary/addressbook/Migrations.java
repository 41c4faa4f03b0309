package io.microcanary.addressbook;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.context.event.StartupEvent;
import jakarta.inject.Singleton;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;

/**
 * The schema, by Flyway, from {@code db/migration}. Migrations are expand/contract (add, backfill, and only
 * drop once no running version reads a column), so a stable and a canary release can share one database.
 *
 * <p>{@code migrate} runs them on demand; with {@code MIGRATE_ON_START=true} (the default, for local runs)
 * the service runs them once at start-up too. Flyway's lock makes concurrent replicas safe. They connect as the
 * {@link SchemaOwner} (the role that owns the tables), not as the service's pool, which may only read and write.
 */
@Singleton
@Requires(property = Migrations.ON_START, value = "true", defaultValue = "true")
class Migrations implements ApplicationEventListener<StartupEvent> {

    static final String ON_START = "addressbook.migrate-on-start";
    private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);

    private final DataSource dataSource;
    private final SchemaOwner owner;

    Migrations(DataSource dataSource, SchemaOwner owner) {
        this.dataSource = dataSource;
        this.owner = owner;
    }

    static MigrateResult apply(DataSource pool, SchemaOwner owner) {
        return owner.connect(Flyway.configure(), pool)
                .locations("classpath:db/migration")
                .load()
                .migrate();
    }

    @Override
    public void onApplicationEvent(StartupEvent event) {
        MigrateResult result = apply(dataSource, owner);
        LOG.info("Database schema at version {} ({} migrations applied as {})",
                result.targetSchemaVersion != null ? result.targetSchemaVersion : result.initialSchemaVersion,
                result.migrationsExecuted, owner.describe());
    }
}
