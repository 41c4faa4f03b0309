package io.microcanary.addressbook;

import io.microcanary.support.problem.ProblemException;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;

import java.util.Optional;

@Singleton
class DefaultPersonService implements PersonService {

    private final PersonRepository people;
    private final PeopleListCache listings;
    private final PeopleChangeNotices notices;

    DefaultPersonService(PersonRepository people, PeopleListCache listings, PeopleChangeNotices notices) {
        this.people = people;
        this.listings = listings;
        this.notices = notices;
    }

    @Override
    public PersonView create(PersonInput input) {
        return DatabaseFailures.translate(() -> {
            String firstName = input.firstName().strip();
            String lastName = blankToNull(input.lastName());
            Person saved = input.id() == null
                    ? people.save(new Person(null, firstName, lastName, null, null))
                    : insertWithChosenId(input.id(), firstName, lastName);
            changed();
            return PersonView.of(saved);
        });
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
            changed();
            return null;
        });
    }

    @Override
    public PeopleListCache.Listing all() {
        return DatabaseFailures.translate(() -> listings.get(() -> people.listOrderById().stream().map(PersonView::of).toList()));
    }

    /** This replica's reads must see the change at once; the others hear of it through a notice. */
    private void changed() {
        listings.changed();
        notices.send();
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }
}
