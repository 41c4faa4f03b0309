package io.microcanary.savacart;

import io.microcanary.support.startup.FirstRequestWarmUp;
import io.micronaut.context.BeanProvider;
import jakarta.inject.Singleton;

/**
 * The first page's one-time work: creating the store's beans (the controller, the catalogue client and its registry,
 * the validated settings, the cart cookie) and rendering the product list once (the templates, and the JDK's currency
 * format for the store's locale). Profiled (async-profiler, wall clock) on sava-cart-ie's first {@code GET /}, JDK 25
 * with its AOT cache, catalogue down: of ~45 ms on the request's thread, ~17 ms was creating those beans and ~14 ms
 * rendering (13 of it formatting the first price).
 *
 * <p>It does not call the catalogue: the breaker and the last good list stay as a first page would find them, and
 * a start makes no request to another service. The beans it creates are the singletons the first page would have
 * created (a page that comes sooner waits for the same bean, no longer).
 */
@Singleton
final class StorePageWarmUp extends FirstRequestWarmUp {

    private final BeanProvider<StoreController> controller;
    private final BeanProvider<Pages> pages;

    StorePageWarmUp(BeanProvider<StoreController> controller, BeanProvider<Pages> pages) {
        this.controller = controller;
        this.pages = pages;
    }

    @Override
    protected void warmUp() {
        controller.get();
        pages.get().products(new Products(FallbackCatalogueService.STUB, Products.Source.STUB), Cart.EMPTY);
    }
}
