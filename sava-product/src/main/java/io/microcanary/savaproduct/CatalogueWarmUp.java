package io.microcanary.savaproduct;

import io.microcanary.support.startup.FirstRequestWarmUp;
import io.micronaut.context.BeanProvider;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.List;

/**
 * The first list's one-time work: creating the controller and its beans (the catalogue, read from
 * {@code catalogue.json} with the deserializers made for it, and the encoded lists), the query's class (its
 * comparators), and each version's first encoding (the serializers of its views). Profiled (async-profiler, wall
 * clock) on the first {@code GET /products/ie} after ready, JDK 25 with its AOT cache: of ~18 ms on the request's
 * thread, ~9 ms was creating those beans (8 of it reading the catalogue), ~2 ms encoding the list and ~1.5 ms the
 * query's class; the rest was the server's own (routing, a buffer for the response, the route's timer).
 * bench/startup.sh, JDK 25, interleaved, medians of 5: first {@code GET /products/ie} 28 and 24 -> 9 and 9 ms.
 *
 * <p>It asks the route for every whole list (each locale, and all of them) in each version, which is what
 * {@link EncodedLists} holds once callers have asked: at most a dozen small lists. The store asks v1 for its locale,
 * a browser the latest. Then it asks once more without {@code Accept}, as a browser does; that finds the lists
 * encoded (the first lookup that finds a list links its key's {@code equals}: ~0.6 ms of a first request otherwise).
 * Callers get the same bytes as before, encoded sooner. It calls the controller, not the server, so no request is
 * counted and the fault switches delay nothing.
 */
@Singleton
final class CatalogueWarmUp extends FirstRequestWarmUp {

    private final BeanProvider<ProductController> controller;
    private final BeanProvider<Catalogue> catalogue;

    CatalogueWarmUp(BeanProvider<ProductController> controller, BeanProvider<Catalogue> catalogue) {
        this.controller = controller;
        this.catalogue = catalogue;
    }

    @Override
    protected void warmUp() {
        ProductController products = controller.get();
        List<String> locales = catalogue.get().all().stream().map(Product::locale).distinct().toList();
        for (String accept : accepts()) {
            for (String locale : locales) {
                products.inLocale(locale, accept, null, null, null, null, null);
            }
            products.all(accept, null, null, null, null, null);
        }
    }

    /** Each version by name, then none (null: the latest, now found encoded, the lookup a browser's list makes). */
    private static List<String> accepts() {
        List<String> accepts = new ArrayList<>();
        for (ApiVersion version : ApiVersion.values()) {
            accepts.add(version.mediaType());
        }
        accepts.add(null);
        return accepts;
    }
}
