package io.microcanary.savacart;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Product id to quantity, in the order products were first added. Immutable: changes return a new cart. */
record Cart(Map<Long, Integer> quantities) {

    static final int MAX_QUANTITY = 99;
    static final Cart EMPTY = new Cart(Map.of());

    Cart {
        quantities = Collections.unmodifiableMap(new LinkedHashMap<>(quantities));
    }

    Cart add(long productId) {
        Map<Long, Integer> next = new LinkedHashMap<>(quantities);
        next.merge(productId, 1, (a, b) -> Math.min(MAX_QUANTITY, a + b));
        return new Cart(next);
    }

    Cart remove(long productId) {
        Map<Long, Integer> next = new LinkedHashMap<>(quantities);
        next.remove(productId);
        return new Cart(next);
    }

    int count() {
        return quantities.values().stream().mapToInt(Integer::intValue).sum();
    }

    boolean isEmpty() {
        return quantities.isEmpty();
    }
}
