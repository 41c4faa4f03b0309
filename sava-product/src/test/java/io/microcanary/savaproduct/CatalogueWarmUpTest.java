package io.microcanary.savaproduct;

import io.microcanary.testsupport.http.Http;
import io.microcanary.testsupport.http.ServedRequests;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The start-up's warm-up creates what the first list request would, and no request of its making is counted. */
@MicronautTest
class CatalogueWarmUpTest {

    @Inject
    EmbeddedServer server;

    @Inject
    ApplicationContext context;

    @Inject
    CatalogueWarmUp warmUp;

    @Test
    void warmsUpWithoutARequest() throws Exception {
        warmUp.done().get(30, TimeUnit.SECONDS); // a bound on a hang, not a timing: fails if the warm-up failed

        // no request has been sent: the controller exists because the warm-up created it (a route creates it lazily)
        assertEquals(1, context.getActiveBeanRegistrations(ProductController.class).size());
        ServedRequests.assertNoneCounted(Http.at(server.getURI()));
    }
}
