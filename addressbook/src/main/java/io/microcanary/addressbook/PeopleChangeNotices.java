package io.microcanary.addressbook;

import io.microcanary.support.background.BackgroundLoop;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Announces this replica's changes to {@code people} on the channel {@code people_changed}, which every replica's
 * {@link PeopleChangeListener} hears: one {@code NOTIFY} for however many changes were made in the last
 * {@value #INTERVAL_MILLIS} ms, so other replicas' cached listings lag a write by that much at most (plus a round trip).
 *
 * <p>Not one per statement from the trigger, as before: PostgreSQL serialises the commits of transactions that
 * notify (they queue for one lock held until their commit ends), so a notice per insert made every write wait for
 * every other. The service's connections say {@code addressbook.notices = sent-by-service} (application.yml) and the
 * V3 trigger leaves their statements to this; a change made any other way (psql, a replica of an older version)
 * is still announced by the trigger. A replica that dies between a commit and its notice would leave the others'
 * listings stale until the next change, so each replica also announces once when it starts.
 */
@Singleton
class PeopleChangeNotices implements ApplicationEventListener<ServerStartupEvent> {

    private static final Logger LOG = LoggerFactory.getLogger(PeopleChangeNotices.class);
    private static final Duration RETRY = Duration.ofSeconds(1);
    static final long INTERVAL_MILLIS = 20;

    private final DataSource dataSource;
    private final AtomicBoolean pending = new AtomicBoolean();
    private final Semaphore wakeUp = new Semaphore(0);
    private final BackgroundLoop notifier;
    private boolean failing; // the notifier thread's own

    PeopleChangeNotices(DataSource dataSource) {
        // the injected one is Micronaut Data's contextual proxy; a notice is its own autocommitted statement
        this.dataSource = DelegatingDataSource.unwrapDataSource(dataSource);
        this.notifier = BackgroundLoop.named("people-change-notices")
                .backingOff(RETRY, RETRY)
                .reportingFailuresTo(this::noticeFailed)
                .wakingWith(wakeUp::release)
                .joinWithin(RETRY.multipliedBy(2))
                .running(this::announceWhenChanged);
    }

    @Override
    public void onApplicationEvent(ServerStartupEvent event) {
        notifier.start();
        send();
    }

    /** Called after a committed change: returns at once; the notice follows within a round trip. */
    void send() {
        if (pending.compareAndSet(false, true)) {
            wakeUp.release();
        }
    }

    @PreDestroy
    void stop() throws InterruptedException {
        notifier.stop();
    }

    /** One round: waits for a change, announces it, then lets changes gather for an interval. */
    private void announceWhenChanged() throws InterruptedException, SQLException {
        wakeUp.acquire();
        if (!pending.getAndSet(false)) {
            return;
        }
        try {
            announce();
        } catch (SQLException | RuntimeException e) {
            pending.set(true);
            wakeUp.release(); // the round after the back-off finds the change still to announce
            throw e;
        }
        notifier.pause(Duration.ofMillis(INTERVAL_MILLIS)); // what changes meanwhile goes out in the next notice
    }

    private void announce() throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("SELECT pg_notify('people_changed', '')");
        }
        if (failing) {
            LOG.info("Change notices to other replicas sent again");
            failing = false;
        }
    }

    private void noticeFailed(Exception failure, Duration retryIn) {
        if (!failing) {
            LOG.warn("Could not tell other replicas of a change ({}): retrying every {} ms", failure.toString(),
                    retryIn.toMillis());
            failing = true;
        }
    }
}
