package io.microcanary.savacart;

import io.micronaut.context.BeanProvider;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.context.event.StartupEvent;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;

/**
 * While the server starts, does once, on a thread of its own, the one-time work the first page after every start
 * otherwise paid for: creating the store's beans (the controller, the catalogue client and its registry, the
 * validated settings, the cart cookie) and rendering the product list once (the templates, and the JDK's currency
 * format for the store's locale). Profiled (async-profiler, wall clock) on sava-cart-ie's first {@code GET /}, JDK 25
 * with its AOT cache, catalogue down: of ~45 ms on the request's thread, ~17 ms was creating those beans and ~14 ms
 * rendering (13 of it formatting the first price).
 *
 * <p>It does not call the catalogue: the breaker and the last good list stay as a first page would find them, and
 * a start makes no request to another service. Readiness does not wait for it, and the beans it creates are the
 * singletons the first page would have created (a page that comes sooner waits for the same bean, no longer).
 */
@Singleton
class FirstPageWarmUp implements ApplicationEventListener<StartupEvent> {

    private static final Logger LOG = LoggerFactory.getLogger(FirstPageWarmUp.class);

    private final BeanProvider<StoreController> controller;
    private final BeanProvider<Pages> pages;
    private final CompletableFuture<Void> done = new CompletableFuture<>();

    // providers, so that the beans are created on the warm-up's thread, not on the start-up's
    FirstPageWarmUp(BeanProvider<StoreController> controller, BeanProvider<Pages> pages) {
        this.controller = controller;
        this.pages = pages;
    }

    @Override
    public void onApplicationEvent(StartupEvent event) {
        Thread warmUp = new Thread(this::warmUp, "first-page-warm-up");
        warmUp.setDaemon(true);
        warmUp.start();
    }

    private void warmUp() {
        try {
            controller.get();
            pages.get().products(new Products(FallbackCatalogueService.STUB, Products.Source.STUB), Cart.EMPTY);
            done.complete(null);
        } catch (RuntimeException e) {
            LOG.debug("warm-up incomplete: {}", e.toString()); // the first page does it instead
            done.completeExceptionally(e);
        }
    }

    /** Completes when the warm-up has run (for tests). */
    CompletableFuture<Void> done() {
        return done;
    }
}
