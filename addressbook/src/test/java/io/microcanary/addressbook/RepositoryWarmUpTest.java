package io.microcanary.addressbook;

import io.microcanary.localstores.StoreKind;
import io.microcanary.localstores.Stores;
import io.microcanary.testsupport.http.Http;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The start-up's warm-up creates the controller and queries the database without counting as a read of the list,
 * which only requests do.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RepositoryWarmUpTest implements TestPropertyProvider {

    @Inject
    EmbeddedServer server;

    @Inject
    ApplicationContext context;

    @Inject
    RepositoryWarmUp warmUp;

    @Override
    public Map<String, String> getProperties() {
        return AddressbookDatabase.settingsFor(Stores.shared(StoreKind.POSTGRES));
    }

    @Test
    void warmsUpWithoutReadingTheList() throws Exception {
        warmUp.done().get(30, TimeUnit.SECONDS); // a bound on a hang, not a timing: fails if the warm-up failed

        Http http = Http.at(server.getURI());
        assertEquals(0.0, PeopleListMetrics.reads(http, "database"));
        assertEquals(0.0, PeopleListMetrics.reads(http, "memory"));
    }

    @Test
    void createsTheControllerBeforeTheFirstRequest() throws Exception {
        warmUp.done().get(30, TimeUnit.SECONDS);

        // the server routes to the controller without creating it: only a request or the warm-up does
        assertEquals(1, context.getActiveBeanRegistrations(PersonController.class).size(), "controllers created");
    }
}
