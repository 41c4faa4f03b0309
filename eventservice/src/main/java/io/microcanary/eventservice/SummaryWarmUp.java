package io.microcanary.eventservice;

import io.microcanary.support.startup.FirstRequestWarmUp;
import io.micronaut.context.BeanProvider;
import jakarta.inject.Singleton;

/**
 * The first {@code GET /summary}'s one-time work: the controller with its validation, and the MongoDB driver's
 * aggregate path, which (with the in-memory MongoDB stand-in the dev stack and the cluster run) is also the store's
 * first aggregation. Profiled (async-profiler, wall clock), JDK 25 with its AOT cache: ~10 ms of the service's own time
 * in the driver's first aggregate and ~6 ms in the validation of the first call, the rest waiting for the store.
 * bench/startup.sh, interleaved, medians of 3: first {@code GET /summary} 58 -> 13 ms, ready 1,804 -> 1,677 ms.
 * Read-only; with MongoDB down it gives up within {@code mongodb.timeout}.
 */
@Singleton
final class SummaryWarmUp extends FirstRequestWarmUp {

    private final BeanProvider<SummaryController> controller;

    SummaryWarmUp(BeanProvider<SummaryController> controller) {
        this.controller = controller;
    }

    @Override
    protected void warmUp() {
        controller.get().summary(0);
    }
}
