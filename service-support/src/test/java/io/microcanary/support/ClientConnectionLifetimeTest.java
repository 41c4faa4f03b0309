package io.microcanary.support;

import io.microcanary.testsupport.Poller;
import io.microcanary.localstores.Stores;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.runtime.server.EmbeddedServer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the connection lifetime convention relies on in Micronaut itself: with {@code connect-ttl} set, a client
 * still keeps its connection alive between requests, but opens a new one once the old one has lived that long.
 * (Micronaut documents the property as a connect timeout; this test is what says it is a lifetime.)
 */
class ClientConnectionLifetimeTest {

    private static final String SPEC = "ClientConnectionLifetimeTest";

    @Test
    void aClientKeepsItsConnectionAliveButOpensANewOneWhenItHasLivedItsTime() {
        int port = Stores.freePort();
        try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, Map.of(
                "spec.name", SPEC,
                "micronaut.server.port", port,
                "micronaut.http.services.peer.url", "http://127.0.0.1:" + port,
                ServiceConventions.CLIENT_CONNECTION_LIFETIME, "1s"))) {
            PeerClient client = server.getApplicationContext().getBean(PeerClient.class);
            List<Integer> clientPorts = new ArrayList<>();

            // requests back to back, so that each one-second connection serves several even when they are slow
            Poller poller = Poller.within(Duration.ofSeconds(15)).every(Duration.ofMillis(5));
            poller.until("the client to have used three connections", () -> {
                clientPorts.add(client.clientPort());
                return new HashSet<>(clientPorts).size() >= 3;
            });

            int connections = new HashSet<>(clientPorts).size();
            assertTrue(clientPorts.size() >= 2 * connections,
                    "each connection served several requests before it retired: " + clientPorts);
        }
    }

    @Requires(property = "spec.name", value = SPEC)
    @Client(id = "peer")
    interface PeerClient {
        @Get("/peer")
        int clientPort();
    }

    /** Answers with the caller's TCP port: one port per client connection. */
    @Requires(property = "spec.name", value = SPEC)
    @Controller
    static class PeerController {
        @Get("/peer")
        int clientPort(HttpRequest<?> request) {
            return request.getRemoteAddress().getPort();
        }
    }
}
