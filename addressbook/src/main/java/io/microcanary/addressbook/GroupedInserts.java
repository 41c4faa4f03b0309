package io.microcanary.addressbook;

import io.microcanary.support.background.BackgroundLoop;
import io.microcanary.support.problem.StoreUnavailableException;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Inserts people with generated ids in groups (a group commit): one writer thread takes every insert waiting in the
 * queue and writes them with one {@code INSERT … RETURNING} in one autocommitted statement, so under load dozens of
 * requests share a round trip and a commit instead of taking a pooled connection, a worker thread and a commit each.
 * Nothing waits for a timer: an insert that finds the writer idle is written at once, alone.
 *
 * <p>Each caller's future completes once its row is committed, with the row as stored. A group the database rejects
 * for one row's sake (a value it cannot store) is written again row by row, so only that row's caller fails; while
 * the database is unreachable, the group and everything queued behind it fail at once (503) rather than each
 * waiting out the pool's connection timeout in turn.
 */
@Singleton
class GroupedInserts implements ApplicationEventListener<ServerStartupEvent> {

    /** Bounds one statement's arrays; under the benchmark's 32 clients a group is rarely over 32. */
    static final int MAX_GROUP = 256;
    private static final String INSERT = "INSERT INTO people (first_name, last_name)"
            + " SELECT * FROM unnest(?::varchar[], ?::varchar[])"
            + " RETURNING id, first_name, last_name, created_at, updated_at";
    private static final Duration RETRY = Duration.ofMillis(100);

    private record Pending(String firstName, String lastName, CompletableFuture<Person> saved) {
    }

    private static final Pending WAKE_UP = new Pending("", null, new CompletableFuture<>());

    private final DataSource dataSource;
    private final PeopleChanges changes;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final BackgroundLoop writer;

    GroupedInserts(DataSource dataSource, PeopleChanges changes) {
        // the injected one is Micronaut Data's contextual proxy; a group is its own autocommitted statement
        this.dataSource = DelegatingDataSource.unwrapDataSource(dataSource);
        this.changes = changes;
        this.writer = BackgroundLoop.named("people-inserts")
                .backingOff(RETRY, RETRY)
                .wakingWith(() -> queue.offer(WAKE_UP))
                .onExit(this::failWhatIsLeft)
                .running(this::writeNextGroup);
    }

    @Override
    public void onApplicationEvent(ServerStartupEvent event) {
        writer.start();
    }

    /** Completes with the stored row once it is committed; never blocks the caller. */
    CompletableFuture<Person> insert(String firstName, String lastName) {
        Pending insert = new Pending(firstName, lastName, new CompletableFuture<>());
        queue.add(insert);
        if (writer.stopping() && queue.remove(insert)) {
            insert.saved().completeExceptionally(shuttingDown());
        }
        return insert.saved();
    }

    @PreDestroy
    void stop() throws InterruptedException {
        writer.stop();
    }

    private void writeNextGroup() throws InterruptedException {
        List<Pending> group = new ArrayList<>();
        group.add(queue.take());
        queue.drainTo(group, MAX_GROUP - 1);
        group.remove(WAKE_UP);
        if (group.isEmpty()) {
            return;
        }
        try {
            write(group);
        } catch (RuntimeException e) {
            group.forEach(insert -> insert.saved().completeExceptionally(e)); // no caller waits forever
            throw e;
        }
    }

    private void write(List<Pending> group) {
        List<Person> saved;
        try {
            saved = insertAll(group);
        } catch (SQLException | RuntimeException e) {
            failed(group, DatabaseFailures.translated(e));
            return;
        }
        changes.committed();
        for (int i = 0; i < group.size(); i++) {
            group.get(i).saved().complete(saved.get(i));
        }
    }

    private void failed(List<Pending> group, RuntimeException failure) {
        if (failure instanceof StoreUnavailableException) {
            group.forEach(insert -> insert.saved().completeExceptionally(failure));
            drainQueue().forEach(insert -> insert.saved().completeExceptionally(failure));
        } else if (group.size() > 1) {
            group.forEach(insert -> write(List.of(insert))); // the statement failed as a whole: nothing was stored
        } else {
            group.get(0).saved().completeExceptionally(failure);
        }
    }

    /** The stored rows in the order of {@code group}. */
    private List<Person> insertAll(List<Pending> group) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement(INSERT)) {
            insert.setArray(1, connection.createArrayOf("varchar", group.stream().map(Pending::firstName).toArray()));
            insert.setArray(2, connection.createArrayOf("varchar", group.stream().map(Pending::lastName).toArray()));
            List<Person> rows = new ArrayList<>(group.size());
            try (ResultSet row = insert.executeQuery()) {
                while (row.next()) {
                    rows.add(new Person(row.getLong(1), row.getString(2), row.getString(3),
                            row.getObject(4, OffsetDateTime.class).toInstant(),
                            row.getObject(5, OffsetDateTime.class).toInstant()));
                }
            }
            return inGroupOrder(group, rows);
        }
    }

    /**
     * PostgreSQL returns the rows in the order the arrays list them, but nothing documents that, so each caller is
     * matched to a row with its own names: were the order ever different, two callers with equal names might swap
     * ids, which is as right as the other way round.
     */
    private static List<Person> inGroupOrder(List<Pending> group, List<Person> rows) {
        if (rows.size() != group.size()) {
            throw new IllegalStateException(rows.size() + " rows returned for " + group.size() + " inserts");
        }
        boolean[] taken = new boolean[rows.size()];
        List<Person> ordered = new ArrayList<>(rows.size());
        for (int i = 0; i < group.size(); i++) {
            Pending insert = group.get(i);
            int row = !taken[i] && matches(insert, rows.get(i)) ? i : firstUntakenMatch(insert, rows, taken);
            taken[row] = true;
            ordered.add(rows.get(row));
        }
        return ordered;
    }

    private static int firstUntakenMatch(Pending insert, List<Person> rows, boolean[] taken) {
        for (int row = 0; row < rows.size(); row++) {
            if (!taken[row] && matches(insert, rows.get(row))) {
                return row;
            }
        }
        throw new IllegalStateException("no row returned for an insert");
    }

    private static boolean matches(Pending insert, Person row) {
        return insert.firstName().equals(row.firstName()) && Objects.equals(insert.lastName(), row.lastName());
    }

    private List<Pending> drainQueue() {
        List<Pending> left = new ArrayList<>();
        queue.drainTo(left);
        left.remove(WAKE_UP);
        return left;
    }

    private void failWhatIsLeft() {
        drainQueue().forEach(insert -> insert.saved().completeExceptionally(shuttingDown()));
    }

    private static StoreUnavailableException shuttingDown() {
        return new StoreUnavailableException("database", new IllegalStateException("the service is shutting down"));
    }
}
