package io.microcanary.addressbook;

import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

/** Asks the database whether it answers; used by {@code /ready} and the {@code ping} command. */
@Singleton
class DatabaseProbe {

    private static final int VALIDATION_SECONDS = 1;

    private final DataSource dataSource;

    DatabaseProbe(DataSource dataSource) {
        // the injected one is Micronaut Data's contextual proxy; these need plain pooled connections
        this.dataSource = DelegatingDataSource.unwrapDataSource(dataSource);
    }

    /** Empty when the database answered; otherwise a short reason that is safe to show. */
    Optional<String> problem() {
        try (Connection connection = dataSource.getConnection()) {
            return connection.isValid(VALIDATION_SECONDS) ? Optional.empty() : Optional.of("database did not answer");
        } catch (SQLException | RuntimeException e) {
            return Optional.of("database unreachable");
        }
    }
}
