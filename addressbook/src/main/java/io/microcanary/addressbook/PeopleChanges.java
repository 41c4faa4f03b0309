package io.microcanary.addressbook;

import jakarta.inject.Singleton;

/** Told after a committed change to {@code people}: this replica lists it at once, the others hear of it by a notice. */
@Singleton
class PeopleChanges {

    private final PeopleListCache listings;
    private final PeopleChangeNotices notices;

    PeopleChanges(PeopleListCache listings, PeopleChangeNotices notices) {
        this.listings = listings;
        this.notices = notices;
    }

    void committed() {
        listings.changed();
        notices.send();
    }
}
