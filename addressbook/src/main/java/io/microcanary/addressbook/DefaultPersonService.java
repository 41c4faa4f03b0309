package io.microcanary.addressbook;

import io.microcanary.support.problem.ProblemException;
import io.micronaut.http.HttpStatus;
import io.micronaut.scheduling.TaskExecutors;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

@Singleton
class DefaultPersonService implements PersonService {

    private final PersonRepository people;
    private final GroupedInserts inserts;
    private final PeopleListCache listings;
    private final PeopleChanges changes;
    private final ExecutorService blocking;

    DefaultPersonService(PersonRepository people, GroupedInserts inserts, PeopleListCache listings,
                         PeopleChanges changes, @Named(TaskExecutors.BLOCKING) ExecutorService blocking) {
        this.people = people;
        this.inserts = inserts;
        this.listings = listings;
        this.changes = changes;
        this.blocking = blocking;
    }

    /** Generated ids, the common case, are written in groups; a chosen id takes a few queries of its own. */
    @Override
    public CompletableFuture<PersonView> create(PersonInput input) {
        String firstName = input.firstName().strip();
        String lastName = blankToNull(input.lastName());
        if (input.id() == null) {
            return inserts.insert(firstName, lastName).thenApply(PersonView::of);
        }
        return CompletableFuture.supplyAsync(() -> DatabaseFailures.translate(() -> {
            Person saved = insertWithChosenId(input.id(), firstName, lastName);
            changes.committed();
            return PersonView.of(saved);
        }), blocking);
    }

    /**
     * No surrounding transaction: sequences are not transactional anyway, and two racing inserts of one id are
     * settled by the primary key (the loser gets 409), so each step can take its own connection.
     */
    private Person insertWithChosenId(long id, String firstName, String lastName) {
        if (people.existsById(id)) {
            throw new ProblemException(HttpStatus.CONFLICT, "A person with id " + id + " already exists.");
        }
        people.advanceIdsPast(id);
        people.insertWithId(id, firstName, lastName);
        return people.findById(id).orElseThrow(() -> new IllegalStateException("person " + id + " vanished after insert"));
    }

    @Override
    public Optional<PersonView> find(long id) {
        return DatabaseFailures.translate(() -> people.findById(id).map(PersonView::of));
    }

    @Override
    public void delete(long id) {
        DatabaseFailures.translate(() -> {
            people.deleteById(id);
            changes.committed();
            return null;
        });
    }

    @Override
    public PeopleListCache.Listing all() {
        return DatabaseFailures.translate(() -> listings.get(() -> people.listOrderById().stream().map(PersonView::of).toList()));
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }
}
