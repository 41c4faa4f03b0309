package io.microcanary.support.problem;

import com.fasterxml.jackson.databind.JsonNode;
import io.microcanary.testsupport.http.Http;
import io.micronaut.context.annotation.Property;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.microcanary.testsupport.http.Problems.assertProblem;
import static io.microcanary.testsupport.http.Problems.assertViolations;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one error path, over HTTP, for every kind of failure a service can meet. */
@MicronautTest
@Property(name = "spec.name", value = "ProblemJsonTest")
class ProblemJsonTest {

    @Inject
    EmbeddedServer server;

    private Http http;

    @BeforeEach
    void connect() {
        http = Http.at(server.getURI());
    }

    @Test
    void aProblemExceptionKeepsItsStatusAndDetail() {
        JsonNode problem = assertProblem(http.get("/probe/conflict"), 409);
        assertEquals(List.of("type", "title", "status", "detail", "instance"), fields(problem));
        assertEquals("about:blank", problem.get("type").asText());
        assertEquals("Conflict", problem.get("title").asText());
        assertEquals("Contact 7 already exists.", problem.get("detail").asText());
        assertEquals("/probe/conflict", problem.get("instance").asText());
    }

    @Test
    void validationNamesEachInvalidFieldInOrder() {
        JsonNode problem = assertViolations(http.postJson("/probe/contacts", "{\"name\":\"\",\"email\":\"nope\"}"),
                400, "email", "name");
        assertEquals("must be a well-formed email address", problem.get("violations").get(0).get("message").asText());
        assertEquals("must not be blank", problem.get("violations").get(1).get("message").asText());
    }

    @Test
    void aValueOfTheWrongTypeNamesTheParameter() {
        JsonNode problem = assertViolations(http.get("/probe/page?size=ten"), 400, "size");
        assertEquals("must be an integer", problem.get("violations").get(0).get("message").asText());
    }

    @Test
    void aMissingRequiredParameterIsNamed() {
        JsonNode problem = assertViolations(http.get("/probe/page"), 400, "size");
        assertEquals("is required", problem.get("violations").get(0).get("message").asText());
    }

    @Test
    void anUnexpectedFailureIsA500WithoutItsMessage() {
        Http.Response response = http.get("/probe/boom");

        JsonNode problem = assertProblem(response, 500);
        assertEquals("Something went wrong on our side.", problem.get("detail").asText());
        assertFalse(response.body().contains("secret"), response::toString);
    }

    @Test
    void aStoreOutageIsA503ThatInvitesARetry() {
        Http.Response response = http.get("/probe/store-down");

        JsonNode problem = assertProblem(response, 503);
        assertEquals("The database is unavailable. Try again shortly.", problem.get("detail").asText());
        assertEquals("1", response.header("Retry-After").orElse(null));
        assertFalse(response.body().contains("refused"), response::toString);
    }

    @Test
    void anUnknownPathKeepsTheFrameworksDetailByDefault() {
        assertEquals("Page Not Found", assertProblem(http.get("/nowhere"), 404).get("detail").asText());
    }

    @Test
    void aBrowserGetsAnEscapedPage() {
        Http.Response response = http.get("/probe/echo?text=%3Cscript%3Ealert(1)%3C/script%3E", "Accept", "text/html");

        assertEquals(409, response.status());
        assertTrue(response.contentType().startsWith("text/html"), response::toString);
        Document page = Jsoup.parse(response.body());
        assertEquals("409 Conflict", page.title(), response::toString);
        assertEquals("409 Conflict", page.selectFirst("body > h1").text(), response::toString);
        assertEquals("<script>alert(1)</script>", page.selectFirst("body > h1 + p").text(), response::toString);
        assertEquals("/", page.selectFirst("body > p > a").attr("href"), response::toString);
        assertTrue(page.select("script").isEmpty(), response::toString);
        assertFalse(response.body().contains("<script>"), response::toString);
    }

    @Test
    void aBrowserSeesEachInvalidFieldEscaped() {
        Http.Response response = http.send("POST", "/probe/contacts", "application/x-www-form-urlencoded",
                "name=&email=%22%3E%3Cscript%3E", "Accept", "text/html, application/json;q=0.9"); // as browsers send

        assertEquals(400, response.status(), response::toString);
        assertTrue(response.contentType().startsWith("text/html"), response::toString);
        Document page = Jsoup.parse(response.body());
        assertEquals("400 Bad Request", page.selectFirst("body > h1").text(), response::toString);
        assertEquals(List.of("email: must be a well-formed email address", "name: must not be blank"),
                page.select("body > ul > li").eachText(), response::toString);
        assertTrue(page.select("script").isEmpty(), response::toString);
    }

    @Test
    void anAcceptHeaderWithNoMediaTypeInItIsA400NamingTheHeader() {
        for (String unreadable : List.of("json", "%%garbage", "application/json;q=abc")) {
            JsonNode problem = assertViolations(http.get("/probe/page?size=7", "Accept", unreadable), 400, "Accept");
            assertEquals("must list media types, such as application/json",
                    problem.get("violations").get(0).get("message").asText(), unreadable);
        }
    }

    @Test
    void anAcceptHeaderWithSomeReadableMediaTypesIsServedFromThose() {
        String httpUrlConnectionDefault = "text/html, image/gif, image/jpeg, *; q=.2, */*; q=.2";

        Http.Response response = http.get("/probe/page?size=7", "Accept", httpUrlConnectionDefault);

        assertEquals(200, response.status(), response::toString);
        assertEquals("7", response.body());
    }

    @Test
    void aHeadRequestGetsTheStatusWithoutABody() {
        Http.Response response = http.send("HEAD", "/probe/conflict", null, null);

        assertEquals(409, response.status());
        assertEquals("", response.body());
    }

    @Test
    void aFormBodyThatIsNotValidUrlEncodingIsA400() {
        Http.Response response = http.postForm("/probe/contacts", "name=al&email=%%%");

        assertEquals("The request could not be read.", assertProblem(response, 400).get("detail").asText());
    }

    @Test
    void aLongButReasonableRequestLineIsServed() {
        Http.Response response = http.get("/probe/page?size=7&padding=" + "a".repeat(12_000));

        assertEquals(200, response.status(), response::toString);
        assertEquals("7", response.body());
    }

    @Test
    void aRequestLineTooLongForTheServerIsA414ThatClosesTheConnection() {
        Http.Response response = http.get("/probe/" + "a".repeat(20_000));

        JsonNode problem = assertProblem(response, 414);
        assertEquals(List.of("type", "title", "status", "detail"), fields(problem));
        assertEquals("close", response.header("Connection").orElse(null), response::toString);
        assertEquals(409, http.postJson("/probe/conflict-post", "{}").status(),
                "the next request, not retried by the client, gets a fresh connection");
    }

    @Test
    void headersTooLargeForTheServerAreA431ThatClosesTheConnection() {
        Http.Response response = http.get("/probe/conflict", "X-Padding", "a".repeat(20_000));

        assertProblem(response, 431);
        assertEquals("close", response.header("Connection").orElse(null), response::toString);
        assertEquals(409, http.postJson("/probe/conflict-post", "{}").status());
    }

    private static List<String> fields(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Serdeable
    record ContactCreate(@NotBlank String name, @Email String email) {
    }

    @Requires(property = "spec.name", value = "ProblemJsonTest")
    @Controller("/probe")
    static class ProbeController {

        @Get("/conflict")
        String conflict() {
            throw new ProblemException(HttpStatus.CONFLICT, "Contact 7 already exists.");
        }

        @Post("/conflict-post")
        String conflictOnPost() {
            throw new ProblemException(HttpStatus.CONFLICT, "Contact 7 already exists.");
        }

        @Post(uri = "/contacts", consumes = {MediaType.APPLICATION_JSON, MediaType.APPLICATION_FORM_URLENCODED})
        String create(@Valid @Body ContactCreate contact) {
            return contact.name();
        }

        @Get("/page")
        String page(@QueryValue int size) {
            return String.valueOf(size);
        }

        @Get("/boom")
        String boom() {
            throw new IllegalStateException("secret connection string postgres://admin:hunter2@db");
        }

        @Get("/store-down")
        String storeDown() {
            throw new StoreUnavailableException("database", new java.net.ConnectException("Connection refused"));
        }

        @Get(uri = "/echo", produces = MediaType.TEXT_HTML)
        String echo(@QueryValue String text) {
            throw new ProblemException(HttpStatus.CONFLICT, text);
        }
    }
}
