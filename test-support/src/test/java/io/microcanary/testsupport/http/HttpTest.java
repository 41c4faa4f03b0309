package io.microcanary.testsupport.http;

import com.sun.net.httpserver.HttpServer;
import io.microcanary.localstores.Stores;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The probe the start-up waits use: yes only for a 200, no for any other status and for no server at all. */
class HttpTest {

    @Test
    void answersOkOnlyForA200() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/up", exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.createContext("/down", exchange -> {
            exchange.sendResponseHeaders(503, -1);
            exchange.close();
        });
        server.start();
        try {
            Http http = Http.at("http://127.0.0.1:" + server.getAddress().getPort());
            assertTrue(http.answersOk("/up"));
            assertFalse(http.answersOk("/down"));
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aServerThatIsNotListeningIsANoNotAFailure() {
        assertFalse(Http.at("http://127.0.0.1:" + Stores.freePort()).answersOk("/health/readiness"));
    }
}
