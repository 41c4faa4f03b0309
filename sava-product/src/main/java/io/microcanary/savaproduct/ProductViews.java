package io.microcanary.savaproduct;

import io.micronaut.serde.annotation.Serdeable;

import java.math.BigDecimal;
import java.util.List;

/** What each version of the API shows of a product. */
final class ProductViews {

    private ProductViews() {
    }

    @Serdeable
    record ProductV1(long id, String title, String description, BigDecimal price, String locale) {
    }

    /** v2: a structured price and an image this service serves itself. */
    @Serdeable
    record ProductV2(long id, String title, String description, Price price, String locale, String img) {
    }

    @Serdeable
    record Price(BigDecimal amount, String currency) {
    }

    static Object view(Product product, ApiVersion version) {
        return switch (version) {
            case V1 -> new ProductV1(product.id(), product.title(), product.description(), product.price(), product.locale());
            case V2 -> new ProductV2(product.id(), product.title(), product.description(),
                    new Price(product.price(), currency(product.locale())), product.locale(),
                    "/images/" + product.id() + ".svg");
        };
    }

    static List<Object> views(List<Product> products, ApiVersion version) {
        return products.stream().map(p -> view(p, version)).toList();
    }

    static String currency(String locale) {
        return switch (locale) {
            case "en", "uk" -> "GBP";
            case "us" -> "USD";
            default -> "EUR";
        };
    }
}
