package io.microcanary.addressbook;

import io.microcanary.support.problem.ProblemException;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;

import java.util.Optional;

@Singleton
class DefaultPersonService implements PersonService {

    private final PersonRepository people;
    private final PeopleListCache listings;

    DefaultPersonService(PersonRepository people, PeopleListCache listings) {
        this.people = people;
        this.listings = listings;
    }

    /**
     * No surrounding transaction: sequences are not transactional anyway, and two racing inserts of one id are
     * settled by the primary key (the loser gets 409), so each step can take its own connection.
     */
    @Override
    public PersonView create(PersonInput input) {
        return DatabaseFailures.translate(() -> {
            long id = input.id() != null ? input.id() : people.nextId();
            if (input.id() != null) {
                if (people.existsById(id)) {
                    throw new ProblemException(HttpStatus.CONFLICT, "A person with id " + id + " already exists.");
                }
                people.advanceIdsPast(id);
            }
            Person saved = people.save(new Person(id, input.firstName().strip(), blankToNull(input.lastName()), null, null));
            listings.changed(); // the notice will come too, but this replica's own reads must see it at once
            return PersonView.of(saved);
        });
    }

    @Override
    public Optional<PersonView> find(long id) {
        return DatabaseFailures.translate(() -> people.findById(id).map(PersonView::of));
    }

    @Override
    public void delete(long id) {
        DatabaseFailures.translate(() -> {
            people.deleteById(id);
            listings.changed();
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
