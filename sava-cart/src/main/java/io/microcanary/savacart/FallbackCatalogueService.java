package io.microcanary.savacart;

import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Live products when the catalogue answers; otherwise the last good list for this store's locale; otherwise the
 * original tutorial's stub fruit list. A circuit breaker skips the catalogue entirely while it keeps failing.
 */
@Singleton
class FallbackCatalogueService implements CatalogueService {

    static final List<Product> STUB = List.of(
            new Product(1001, "Apples", "Crisp and local.", new BigDecimal("25")),
            new Product(1002, "Oranges", "Juicy and bright.", new BigDecimal("30")),
            new Product(1003, "Garlic", "Keeps the vampires away.", new BigDecimal("15")),
            new Product(1004, "Papayas", "Sweet and tropical.", new BigDecimal("100")));

    private static final Logger LOG = LoggerFactory.getLogger(FallbackCatalogueService.class);

    private final CatalogueClient catalogue;
    private final String locale;
    private final CircuitBreaker breaker;
    private final AtomicReference<List<Product>> lastGood = new AtomicReference<>();

    FallbackCatalogueService(CatalogueClient catalogue, StoreSettings settings) {
        this.catalogue = catalogue;
        this.locale = settings.locale();
        this.breaker = new CircuitBreaker(Clock.systemUTC(), settings.catalogueBreaker().failuresToOpen(),
                settings.catalogueBreaker().openFor());
    }

    @Override
    public Products products() {
        if (breaker.allowsCall()) {
            try {
                List<Product> live = catalogue.products(locale).stream()
                        .map(CatalogueItem::toProduct).flatMap(Optional::stream).toList();
                breaker.succeeded();
                lastGood.set(live);
                return new Products(live, Products.Source.LIVE);
            } catch (RuntimeException e) {
                breaker.failed();
                LOG.warn("catalogue unavailable ({}); serving {}", e.getClass().getSimpleName(),
                        lastGood.get() != null ? "the last good catalogue" : "the stub catalogue");
            }
        }
        List<Product> cached = lastGood.get();
        return cached != null ? new Products(cached, Products.Source.CACHED) : new Products(STUB, Products.Source.STUB);
    }

    CircuitBreaker.State breakerState() {
        return breaker.state();
    }
}
