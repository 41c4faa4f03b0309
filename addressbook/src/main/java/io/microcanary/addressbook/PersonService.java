package io.microcanary.addressbook;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** The address book's operations; every database failure leaves as a {@code ProblemException}. */
interface PersonService {

    /**
     * Creates a person, completing once the row is committed, without blocking the caller; a client-chosen id that is
     * taken is a conflict.
     */
    CompletableFuture<PersonView> create(PersonInput input);

    Optional<PersonView> find(long id);

    /** Deleting someone who is not there is fine: the outcome is the same. */
    void delete(long id);

    /** Everyone, ordered by id, encoded as JSON: unchanged since the last read, it comes from memory. */
    PeopleListCache.Listing all();
}
