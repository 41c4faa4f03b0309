package io.microcanary.savacart;

import java.util.List;
import java.util.Optional;

/** The products a page shows, and where they came from (the page tells the shopper when it is not live). */
record Products(List<Product> items, Source source) {

    enum Source { LIVE, CACHED, STUB }

    boolean offline() {
        return source != Source.LIVE;
    }

    Optional<Product> find(long id) {
        return items.stream().filter(p -> p.id() == id).findFirst();
    }
}
