package io.microcanary.savaproduct;

import io.micronaut.core.type.Argument;
import io.micronaut.serde.ObjectMapper;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** The products, loaded once from {@code catalogue.json}; locales match case-insensitively. */
@Singleton
class Catalogue {

    private final List<Product> products;
    private final Set<String> locales;

    Catalogue(ObjectMapper json) {
        try (InputStream in = Catalogue.class.getResourceAsStream("/catalogue.json")) {
            if (in == null) {
                throw new IllegalStateException("catalogue.json is missing from the classpath");
            }
            this.products = json.readValue(in, Argument.listOf(Product.class)).stream()
                    .sorted(Comparator.comparingLong(Product::id))
                    .toList();
            this.locales = products.stream().map(Product::locale).collect(Collectors.toUnmodifiableSet());
        } catch (IOException e) {
            throw new UncheckedIOException("catalogue.json could not be read", e);
        }
    }

    List<Product> all() {
        return products;
    }

    /** {@code locale} in lower case, as the catalogue spells them. */
    boolean hasLocale(String locale) {
        return locales.contains(locale);
    }

    List<Product> inLocale(String locale) {
        String wanted = locale.toLowerCase(Locale.ROOT);
        return products.stream().filter(p -> p.locale().equals(wanted)).toList();
    }

    Optional<Product> find(String locale, long id) {
        return inLocale(locale).stream().filter(p -> p.id() == id).findFirst();
    }

    Optional<Product> find(long id) {
        return products.stream().filter(p -> p.id() == id).findFirst();
    }
}
