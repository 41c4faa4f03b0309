package io.microcanary.savaproduct;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.type.Argument;
import io.micronaut.serde.ObjectMapper;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The encoded body of each whole list ({@code /products}, {@code /products/{locale}} without a query), per API
 * version. The catalogue never changes while the service runs, so each is encoded once, on first use. Only
 * locales the catalogue has are kept: a client cannot grow this by asking for made-up locales.
 */
@Singleton
class EncodedLists {

    private static final Argument<List<Object>> VIEWS = Argument.listOf(Object.class);

    private final Catalogue catalogue;
    private final ObjectMapper json;
    private final Map<Key, Encoded> encoded = new ConcurrentHashMap<>();

    EncodedLists(Catalogue catalogue, ObjectMapper json) {
        this.catalogue = catalogue;
        this.json = json;
    }

    /** A whole list as it goes on the wire, and how many products it holds (for {@code X-Total-Count}). */
    record Encoded(byte[] body, int count) {
    }

    /** {@code locale} null: the list of every locale. */
    private record Key(@Nullable String locale, ApiVersion version) {
    }

    /**
     * The whole list of {@code locale} (null: of every locale), or empty for a locale the catalogue does not have:
     * the caller answers those without caching.
     */
    Optional<Encoded> find(@Nullable String locale, ApiVersion version) {
        if (locale == null) {
            return Optional.of(cached(new Key(null, version)));
        }
        String wanted = locale.toLowerCase(Locale.ROOT);
        return catalogue.hasLocale(wanted) ? Optional.of(cached(new Key(wanted, version))) : Optional.empty();
    }

    private Encoded cached(Key key) {
        return encoded.computeIfAbsent(key, k -> encode(
                k.locale() == null ? catalogue.all() : catalogue.inLocale(k.locale()), k.version()));
    }

    private Encoded encode(List<Product> products, ApiVersion version) {
        try {
            return new Encoded(json.writeValueAsBytes(VIEWS, ProductViews.views(products, version)), products.size());
        } catch (IOException e) {
            throw new UncheckedIOException("the catalogue could not be encoded", e);
        }
    }
}
