package io.microcanary.addressbook;

import com.fasterxml.jackson.databind.JsonNode;
import io.microcanary.testsupport.Poller;
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

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.microcanary.testsupport.http.Problems.assertProblem;
import static io.microcanary.testsupport.http.Problems.assertViolations;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every route of the tutorial's API over real HTTP, against a real PostgreSQL. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PersonApiTest implements TestPropertyProvider {

    @Inject
    EmbeddedServer server;

    private Http http;

    @Override
    public Map<String, String> getProperties() {
        return AddressbookDatabase.settingsFor(Stores.shared(StoreKind.POSTGRES));
    }

    @BeforeEach
    void connect() {
        http = Http.at(server.getURI());
    }

    @Test
    void createsAPersonFromAFormLikeTheTutorialsCurl() {
        Http.Response response = http.putForm("/person", "firstName=al&lastName=pacino");

        assertEquals(200, response.status(), response::toString);
        assertTrue(response.contentType().startsWith("application/json"), response::toString);
        JsonNode person = response.json();
        assertEquals(List.of("id", "firstName", "lastName", "createdAt", "updatedAt"), fieldNames(person));
        assertTrue(person.get("id").asLong() > 0, response::toString);
        assertEquals("al", person.get("firstName").asText());
        assertEquals("pacino", person.get("lastName").asText());
        Instant created = Instant.parse(person.get("createdAt").asText());
        assertEquals(created, Instant.parse(person.get("updatedAt").asText()));
    }

    @Test
    void createsAPersonFromJsonWithoutALastName() {
        Http.Response response = http.putJson("/person", "{\"firstName\":\"Greta\"}");

        assertEquals(200, response.status(), response::toString);
        assertEquals("Greta", response.json().get("firstName").asText());
        assertTrue(response.json().get("lastName").isNull(), response::toString);
    }

    @Test
    void rejectsAMissingFirstNameNamingTheField() {
        JsonNode problem = assertViolations(http.putForm("/person", "lastName=pacino"), 400, "firstName");
        assertEquals("/person", problem.get("instance").asText());
    }

    @Test
    void rejectsABlankFirstName() {
        assertViolations(http.putJson("/person", "{\"firstName\":\"   \"}"), 400, "firstName");
    }

    @Test
    void rejectsOversizeValues() {
        String tooLong = "x".repeat(256);
        assertViolations(http.putJson("/person", "{\"firstName\":\"" + tooLong + "\",\"lastName\":\"" + tooLong + "\"}"),
                400, "firstName", "lastName");
    }

    @Test
    void rejectsANonNumericIdInTheBody() {
        assertViolations(http.putForm("/person", "id=abc&firstName=al"), 400, "id");
    }

    @Test
    void rejectsMalformedJsonWithoutEchoingTheParserError() {
        JsonNode problem = assertProblem(http.putJson("/person", "{\"firstName\": \"al\""), 400);
        assertEquals("The request could not be read.", problem.get("detail").asText());
    }

    @Test
    void rejectsAnUnsupportedContentType() {
        assertProblem(http.send("PUT", "/person", "text/plain", "firstName=al"), 415);
    }

    @Test
    void aClientChosenIdIsKeptAndATakenOneIsAConflict() {
        long chosen = 900_000 + System.nanoTime() % 1000;
        Http.Response first = http.putForm("/person", "id=" + chosen + "&firstName=first");
        assertEquals(200, first.status(), first::toString);
        assertEquals(chosen, first.json().get("id").asLong());

        JsonNode conflict = assertProblem(http.putForm("/person", "id=" + chosen + "&firstName=second"), 409);
        assertEquals("A person with id " + chosen + " already exists.", conflict.get("detail").asText());

        Http.Response generated = http.putForm("/person", "firstName=after");
        assertEquals(200, generated.status(), generated::toString);
        assertTrue(generated.json().get("id").asLong() > chosen, "generated ids skip past a chosen one: " + generated);
    }

    @Test
    void readsAPersonById() {
        long id = http.putForm("/person", "firstName=Ada&lastName=Lovelace").json().get("id").asLong();

        Http.Response response = http.get("/person/" + id);

        assertEquals(200, response.status(), response::toString);
        assertEquals("Ada", response.json().get("firstName").asText());
        assertEquals(id, response.json().get("id").asLong());
    }

    @Test
    void anAbsentPersonIsA404Problem() {
        JsonNode problem = assertProblem(http.get("/person/987654321"), 404);
        assertEquals("No person with id 987654321.", problem.get("detail").asText());
    }

    @Test
    void aNonNumericIdInThePathIsA400NamingIt() {
        assertViolations(http.get("/person/abc"), 400, "id");
    }

    @Test
    void deleteIsIdempotent() {
        long id = http.putForm("/person", "firstName=Temp").json().get("id").asLong();

        assertEquals(204, http.delete("/person/" + id).status());
        assertEquals(204, http.delete("/person/" + id).status());
        assertEquals(404, http.get("/person/" + id).status());
    }

    @Test
    void listsEveryoneOrderedById() {
        long a = http.putForm("/person", "firstName=A").json().get("id").asLong();
        long b = http.putForm("/person", "firstName=B").json().get("id").asLong();

        Http.Response response = http.get("/all");

        assertEquals(200, response.status(), response::toString);
        List<Long> ids = new ArrayList<>();
        response.json().forEach(p -> ids.add(p.get("id").asLong()));
        assertEquals(ids.stream().sorted().toList(), ids, "ordered by id");
        assertTrue(ids.containsAll(List.of(a, b)), response::toString);
    }

    @Test
    void theListCarriesAnEntityTagThatSavesTheBodyUntilItChanges() {
        Http.Response first = http.get("/all");
        String etag = first.header("ETag").orElseThrow(() -> new AssertionError("no ETag: " + first));

        Http.Response unchanged = http.get("/all", "If-None-Match", "\"other\", " + etag);
        assertEquals(304, unchanged.status(), unchanged::toString);
        assertEquals("", unchanged.body());
        assertEquals(etag, unchanged.header("ETag").orElse(null));

        http.putForm("/person", "firstName=Changed");
        Http.Response changed = http.get("/all", "If-None-Match", etag);
        assertEquals(200, changed.status(), changed::toString);
        assertNotEquals(etag, changed.header("ETag").orElse(etag));
    }

    @Test
    void aChangeMadeByAnotherReplicaIsListedWithinASecond() {
        http.get("/all");
        http.get("/all");

        long id = AddressbookDatabase.insertElsewhere(Stores.shared(StoreKind.POSTGRES), "Elsewhere");

        Poller.within(Duration.ofSeconds(1)).until("the other replica's row to be listed",
                () -> listedIds().contains(id));
    }

    @Test
    void anUnchangedListIsServedFromMemory() {
        // Polled, not asserted once: the notice of an earlier test's write may still be on its way and send one
        // read to the database; once notices stop, every read of the unchanged list must come from memory.
        Poller.within(Duration.ofSeconds(5)).until("two reads in a row answered without a query", () -> {
            double fromMemory = listReads("memory");
            double fromDatabase = listReads("database");
            http.get("/all");
            http.get("/all");
            return listReads("memory") == fromMemory + 2 && listReads("database") == fromDatabase;
        });
    }

    @Test
    void readyAnswersLikeTheOriginal() {
        Http.Response response = http.get("/ready");

        assertEquals(200, response.status());
        assertEquals("{\"ready\":true}", response.body());
    }

    @Test
    void anUnknownPathPointsAtTheAllRoute() {
        JsonNode problem = assertProblem(http.get("/people"), 404);
        assertEquals("404 - Not Found. Try the /all route", problem.get("detail").asText());
    }

    @Test
    void curlsAcceptAnythingGetsProblemJsonNotAPage() {
        assertProblem(http.get("/nope", "Accept", "*/*"), 404);
    }

    @Test
    void writtenAndReadBackTimesAreIdenticalMilliseconds() {
        JsonNode written = http.putForm("/person", "firstName=Time").json();
        JsonNode read = http.get("/person/" + written.get("id").asLong()).json();

        assertEquals(written.get("createdAt").asText(), read.get("createdAt").asText());
        assertTrue(written.get("createdAt").asText().matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,3})?Z"),
                written::toString);
    }

    @Test
    void aWrongMethodIsA405Problem() {
        assertProblem(http.send("POST", "/all", "application/json", "{}"), 405);
    }

    @Test
    void probesAndMetricsAreServed() {
        Http.Response readiness = http.get("/health/readiness");
        assertEquals(200, readiness.status(), readiness::toString);
        assertEquals("UP", readiness.json().get("status").asText());
        assertFalse(readiness.json().path("details").path("jdbc").isMissingNode(), "readiness checks the database: " + readiness);

        Http.Response liveness = http.get("/health/liveness");
        assertEquals(200, liveness.status(), liveness::toString);
        assertTrue(liveness.json().path("details").path("jdbc").isMissingNode(), "liveness must not check the database: " + liveness);

        http.get("/all");
        Http.Response metrics = http.get("/prometheus");
        assertEquals(200, metrics.status());
        assertTrue(metrics.body().contains("http_server_requests_seconds_bucket{"), "latency histogram buckets");
        assertTrue(metrics.body().contains("uri=\"/all\""), "per-route series");
    }

    @Test
    void aBrowserGetsAnHtmlErrorPageWithEscapedText() {
        Http.Response response = http.get("/person/%3Cscript%3E", "Accept", "text/html,application/xhtml+xml,*/*;q=0.8");

        assertEquals(400, response.status());
        assertTrue(response.contentType().startsWith("text/html"), response::toString);
        assertFalse(response.body().contains("<script>"), response::toString);
        assertNotEquals(-1, response.body().indexOf("id: must be an integer"), response::toString);
    }

    private List<Long> listedIds() {
        List<Long> ids = new ArrayList<>();
        http.get("/all").json().forEach(p -> ids.add(p.get("id").asLong()));
        return ids;
    }

    private double listReads(String source) {
        return PeopleListMetrics.reads(http, source);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
