package io.microcanary.auditservice;

import io.microcanary.support.startup.FirstRequestWarmUp;
import jakarta.inject.Singleton;

/**
 * The first {@code GET /list}'s one-time work, done while the server starts: the controller with its validation, the
 * collection's index (created on first use) and the driver's find path. bench/startup.sh, JDK 17, first GET /list
 * 77 -> 17 ms, ready 2019 -> 1820 ms (medians of 3). With MongoDB down it gives up within {@code mongodb.timeout}.
 */
@Singleton
final class ListWarmUp extends FirstRequestWarmUp {

    private final AuditController controller;

    ListWarmUp(AuditController controller) {
        this.controller = controller;
    }

    @Override
    protected void warmUp() {
        controller.list(1);
    }
}
