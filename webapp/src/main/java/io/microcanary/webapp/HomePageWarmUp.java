package io.microcanary.webapp;

import io.microcanary.support.startup.FirstRequestWarmUp;
import io.micronaut.context.BeanProvider;
import jakarta.inject.Singleton;

import java.util.UUID;

/**
 * The first page's one-time work: creating the controller and its beans (the adder's HTTP client, the audit and
 * event clients, the pages with the home page rendered), and the JDK's first random UUID, which the page event's id
 * is (it seeds a {@code SecureRandom}, loading the security providers). Profiled (async-profiler, wall clock) on the
 * first {@code GET /} after ready, JDK 25 with its AOT cache: of ~16 ms on the request's thread, ~8 ms was creating
 * those beans (5 of it the adder's client) and ~4 ms the first UUID. bench/startup.sh, JDK 25, interleaved,
 * medians of 5: first {@code GET /} 27 and 23 -> 15 and 12 ms.
 *
 * <p>It calls no other service (creating a client connects nowhere) and publishes no event: the page event's work
 * that is the JDK's, its first UUID, is done without making an event. It calls the controller, not the server, so
 * no request is counted.
 */
@Singleton
final class HomePageWarmUp extends FirstRequestWarmUp {

    private final BeanProvider<WebController> controller;

    HomePageWarmUp(BeanProvider<WebController> controller) {
        this.controller = controller;
    }

    @Override
    protected void warmUp() {
        controller.get().home();
        UUID.randomUUID();
    }
}
