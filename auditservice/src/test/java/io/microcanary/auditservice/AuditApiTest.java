package io.microcanary.auditservice;

import com.fasterxml.jackson.databind.JsonNode;
import io.microcanary.testsupport.http.Http;
import io.microcanary.localstores.StoreKind;
import io.microcanary.localstores.Stores;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.microcanary.testsupport.http.Problems.assertViolations;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuditApiTest implements TestPropertyProvider {

    @Inject
    EmbeddedServer server;

    @Inject
    com.mongodb.client.MongoClient mongo;

    private Http http;

    @Override
    public Map<String, String> getProperties() {
        return Map.of("mongodb.uri", Stores.shared(StoreKind.MONGO).url());
    }

    @BeforeEach
    void connect() {
        http = Http.at(server.getURI());
    }

    @Test
    void appendsFromJsonAndAnswersTheStoredEntry() {
        Http.Response response = http.postJson("/append", "{\"calc\":\"2+3\",\"calcResult\":5}");

        assertEquals(201, response.status(), response::toString);
        JsonNode entry = response.json();
        assertEquals(List.of("ts", "calc", "result"), fields(entry));
        assertEquals("2+3", entry.get("calc").asText());
        assertEquals(5, entry.get("result").asLong());
        Instant.parse(entry.get("ts").asText());
    }

    @Test
    void appendsFromAFormLikeTheOriginal() {
        assertEquals(201, http.postForm("/append", "calc=10%2B32&calcResult=42").status());

        assertEquals("10+32", latest(1).get(0).get("calc").asText());
    }

    @Test
    void appendsABatchInOneRequestListedNewestFirst() {
        Http.Response response = http.postJson("/append/batch",
                "[{\"calc\":\"1+1\",\"calcResult\":2},{\"calc\":\"2+2\",\"calcResult\":4},{\"calc\":\"3+3\",\"calcResult\":6}]");

        assertEquals(201, response.status(), response::toString);
        assertEquals(3, response.json().get("appended").asInt(), response::toString);
        List<String> calcs = new ArrayList<>();
        latest(3).forEach(entry -> calcs.add(entry.get("calc").asText() + "=" + entry.get("result").asLong()));
        assertEquals(List.of("3+3=6", "2+2=4", "1+1=2"), calcs);
    }

    @Test
    void aBatchWithOneInvalidEntryStoresNothing() {
        http.postJson("/append", "{\"calc\":\"before+0\",\"calcResult\":0}");

        Http.Response response = http.postJson("/append/batch",
                "[{\"calc\":\"5+5\",\"calcResult\":10},{\"calcResult\":5}]");

        assertEquals(400, response.status(), response::toString);
        assertTrue(response.body().contains("calc"), response::toString);
        assertEquals("before+0", latest(1).get(0).get("calc").asText());
        assertEquals(400, http.postJson("/append/batch", "[]").status());
    }

    @Test
    void anEmptyTrailIsAnEmptyListNotAMissingOne() {
        mongo.getDatabase("audit").getCollection("audit").deleteMany(new org.bson.Document());

        Http.Response response = http.get("/list");

        assertEquals(200, response.status());
        assertEquals("{\"list\":[]}", response.body());
    }

    @Test
    void listsNewestFirstTenByDefault() {
        for (int i = 1; i <= 12; i++) {
            http.postJson("/append", "{\"calc\":\"" + i + "+0\",\"calcResult\":" + i + "}");
        }

        Http.Response response = http.get("/list");

        assertEquals(200, response.status());
        List<String> calcs = new ArrayList<>();
        response.json().get("list").forEach(e -> calcs.add(e.get("calc").asText()));
        assertEquals(10, calcs.size());
        assertEquals(List.of("12+0", "11+0", "10+0"), calcs.subList(0, 3));
    }

    @Test
    void theLimitIsHonouredAndBounded() {
        http.postJson("/append", "{\"calc\":\"1+1\",\"calcResult\":2}");
        assertEquals(1, latest(1).size());
        assertViolations(http.get("/list?limit=0"), 400, "limit");
        assertViolations(http.get("/list?limit=101"), 400, "limit");
        assertViolations(http.get("/list?limit=ten"), 400, "limit");
    }

    @Test
    void invalidEntriesAreRejectedNamingTheField() {
        assertViolations(http.postJson("/append", "{\"calcResult\":5}"), 400, "calc");
        assertViolations(http.postJson("/append", "{\"calc\":\"2+3\"}"), 400, "calcResult");
        assertViolations(http.postForm("/append", "calc=2%2B3&calcResult=five"), 400, "calcResult");
        assertViolations(http.postJson("/append", "{\"calc\":\"" + "x".repeat(201) + "\",\"calcResult\":1}"), 400, "calc");
    }

    @Test
    void readinessIncludesMongoAndLivenessDoesNot() {
        Http.Response readiness = http.get("/health/readiness");
        assertEquals(200, readiness.status(), readiness::toString);
        assertEquals("UP", readiness.json().path("details").path("mongodb").path("status").asText(), readiness::toString);
        assertTrue(http.get("/health/liveness").json().path("details").path("mongodb").isMissingNode());
        assertFalse(readiness.body().contains("Exception"));
    }

    private List<JsonNode> latest(int limit) {
        List<JsonNode> entries = new ArrayList<>();
        http.get("/list?limit=" + limit).json().get("list").forEach(entries::add);
        return entries;
    }

    private static List<String> fields(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
