package io.microcanary.auditservice;

import io.microcanary.testsupport.Poller;
import io.microcanary.testsupport.http.Http;
import io.microcanary.localstores.StoreKind;
import io.microcanary.localstores.StoreServer;
import io.microcanary.localstores.Stores;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.Map;

import static io.microcanary.testsupport.http.Problems.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** MongoDB stops and returns mid-test: fast 503s and DOWN readiness, then service again without a restart. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MongoOutageTest implements TestPropertyProvider {

    private static final StoreServer mongo = Stores.start(StoreKind.MONGO);

    @Inject
    EmbeddedServer server;

    @Override
    public Map<String, String> getProperties() {
        return Map.of("mongodb.uri", mongo.url());
    }

    @AfterAll
    void closeMongo() {
        mongo.close();
    }

    @Test
    void answers503Within2sWhileDownAndRecoversByItself() {
        Http http = Http.at(server.getURI());
        assertEquals(201, http.postJson("/append", "{\"calc\":\"1+1\",\"calcResult\":2}").status());

        mongo.stop();

        for (String path : new String[]{"/list", "/append"}) {
            long started = System.nanoTime();
            Http.Response response = path.equals("/list") ? http.get(path)
                    : http.postJson(path, "{\"calc\":\"2+2\",\"calcResult\":4}");
            long millis = (System.nanoTime() - started) / 1_000_000;
            assertEquals("The audit store is unavailable. Try again shortly.",
                    assertProblem(response, 503).get("detail").asText());
            assertTrue(millis < 2_000, path + " answered in " + millis + " ms");
        }
        assertEquals(503, http.get("/health/readiness").status());
        assertEquals(200, http.get("/health/liveness").status());

        mongo.start();

        Poller.within(Duration.ofSeconds(20)).until("the audit trail to answer again", () -> http.get("/list").status() == 200);
        assertEquals(200, http.get("/health/readiness").status());
        assertEquals("1+1", http.get("/list").json().get("list").get(0).get("calc").asText(), "data kept");
    }
}
