package io.microcanary.addressbook;

import io.microcanary.support.background.BackgroundLoop;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * Holds one connection that {@code LISTEN}s on {@code people_changed} (sent by every replica's
 * {@link PeopleChangeNotices} after its changes, and by the trigger for changes made any other way) and tells
 * {@link PeopleListCache}. While it is not subscribed (the database is down, the
 * trigger is not migrated yet) the cache is bypassed. A connection that silently died is found by a validity check
 * every {@link #CHECK_MILLIS}, which bounds how long another replica's change can go unseen during a network fault.
 */
@Singleton
@Requires(property = PeopleChangeListener.ENABLED, value = "true", defaultValue = "true")
class PeopleChangeListener implements ApplicationEventListener<ServerStartupEvent> {

    static final String ENABLED = "addressbook.list-cache";
    private static final Logger LOG = LoggerFactory.getLogger(PeopleChangeListener.class);
    private static final String TRIGGER_EXISTS =
            "SELECT 1 FROM pg_trigger WHERE tgname = 'people_changed' AND tgrelid = 'people'::regclass";
    private static final int WAIT_MILLIS = 250;
    private static final long CHECK_MILLIS = 2_000;
    private static final Duration RETRY = Duration.ofSeconds(1);

    private final DataSource dataSource;
    private final PeopleListCache cache;
    private final BackgroundLoop listener;
    // the listener thread's own
    private boolean warnedOfMissingTrigger;
    private boolean listening;

    PeopleChangeListener(DataSource dataSource, PeopleListCache cache) {
        // the injected one is Micronaut Data's contextual proxy; this needs a plain pooled connection
        this.dataSource = DelegatingDataSource.unwrapDataSource(dataSource);
        this.cache = cache;
        this.listener = BackgroundLoop.named("people-change-listener")
                .backingOff(RETRY, RETRY)
                .reportingFailuresTo(this::noticesLost)
                .joinWithin(Duration.ofMillis(CHECK_MILLIS))
                .running(this::listenUntilLost);
    }

    /** Once the server is up, which is after a start-up migration ({@link Migrations}) has made the trigger. */
    @Override
    public void onApplicationEvent(ServerStartupEvent event) {
        listener.start();
    }

    @PreDestroy
    void stop() throws InterruptedException {
        listener.stop();
    }

    /** One round: subscribes and relays notices until the connection fails (or, without the trigger, looks again). */
    private void listenUntilLost() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            if (triggerExists(connection)) {
                listen(connection);
            }
        } finally {
            cache.unsubscribed();
        }
        listener.pause(RETRY);
    }

    private void noticesLost(Exception failure, Duration retryIn) {
        if (listening) {
            LOG.warn("Change notices lost ({}): /all is read from the database until they resume", failure.toString());
        }
        listening = false;
    }

    private boolean triggerExists(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(TRIGGER_EXISTS)) {
            boolean exists = row.next();
            if (!exists && !warnedOfMissingTrigger) {
                LOG.warn("No people_changed trigger (schema before version 2): /all is not cached until it is migrated");
                warnedOfMissingTrigger = true;
            }
            return exists;
        }
    }

    private void listen(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("LISTEN people_changed");
        }
        cache.subscribed();
        listening = true;
        PGConnection notices = connection.unwrap(PGConnection.class);
        long nextCheck = System.currentTimeMillis() + CHECK_MILLIS;
        while (!listener.stopping()) {
            PGNotification[] received = notices.getNotifications(WAIT_MILLIS);
            if (received != null && received.length > 0) {
                cache.changed();
            }
            if (System.currentTimeMillis() >= nextCheck) {
                if (!connection.isValid(1)) {
                    throw new SQLException("the listening connection stopped answering");
                }
                nextCheck = System.currentTimeMillis() + CHECK_MILLIS;
            }
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("UNLISTEN *"); // the connection goes back to the pool
        }
    }
}
