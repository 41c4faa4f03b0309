package io.microcanary.savaproduct;

import com.fasterxml.jackson.databind.JsonNode;
import io.microcanary.testsupport.http.Http;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.microcanary.testsupport.http.Problems.assertProblem;
import static io.microcanary.testsupport.http.Problems.assertViolations;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@MicronautTest
class ProductApiTest {

    private static final String V1 = "application/vnd.sava.v1+json";
    private static final String V2 = "application/vnd.sava.v2+json";

    @Inject
    EmbeddedServer server;

    @Inject
    EncodedLists encodedLists;

    private Http http;

    @BeforeEach
    void connect() {
        http = Http.at(server.getURI());
    }

    @Test
    void servesTheOriginalSevenProductsWithTheirTitlesAndPrices() {
        Http.Response response = http.get("/products?_sort=id&_limit=7", "Accept", V1);

        List<String> products = new ArrayList<>();
        response.json().forEach(p -> products.add(p.get("id").asInt() + " " + p.get("locale").asText() + " "
                + p.get("title").asText() + " " + p.get("price").asText()));
        assertEquals(List.of("1 en Single-Origin Coffee 59", "2 en Authentic Jean Shorts 39", "3 ie Dreamcatcher 25",
                "4 en Asymmetrical Craft Beer 18", "5 en Edison Vinyl Pitchfork 250", "6 ie Enamel Pin Meggings 35",
                "7 ie Tote Bag 129"), products);
    }

    @Test
    void v1ListsALocaleWithExactlyTheV1Fields() {
        Http.Response response = http.get("/products/ie", "Accept", V1);

        assertEquals(200, response.status(), response::toString);
        assertEquals(V1, response.contentType());
        assertEquals("Accept", response.header("Vary").orElse(null));
        assertEquals("3", response.header("X-Total-Count").orElse(null));
        assertEquals(List.of(3, 6, 7), ids(response));
        JsonNode first = response.json().get(0);
        assertEquals(List.of("id", "title", "description", "price", "locale"), fields(first));
        assertEquals(25, first.get("price").asInt());
    }

    @Test
    void v2AddsAStructuredPriceAndALocalImage() {
        Http.Response response = http.get("/products/en/1", "Accept", V2);

        assertEquals(V2, response.contentType(), response::toString);
        JsonNode product = response.json();
        assertEquals(List.of("id", "title", "description", "price", "locale", "img"), fields(product));
        assertEquals(59, product.get("price").get("amount").asInt());
        assertEquals("GBP", product.get("price").get("currency").asText());
        assertEquals("/images/1.svg", product.get("img").asText());

        Http.Response image = http.get(product.get("img").asText());
        assertEquals(200, image.status());
        assertEquals("image/svg+xml", image.contentType());
        assertTrue(image.body().startsWith("<svg"), image::toString);
    }

    @Test
    void noAcceptHeaderOrPlainJsonGetsTheLatestVersion() {
        assertEquals(V2, http.get("/products/ie").contentType());
        assertEquals(V2, http.get("/products/ie", "Accept", "application/json").contentType());
        assertEquals(V2, http.get("/products/ie", "Accept", "*/*").contentType());
    }

    @Test
    void qValuesDecideBetweenVersions() {
        Http.Response response = http.get("/products/ie", "Accept", V1 + ";q=0.9, " + V2 + ";q=0.5");

        assertEquals(V1, response.contentType());
        assertEquals(List.of("id", "title", "description", "price", "locale"), fields(response.json().get(0)));
    }

    @Test
    void anUnknownVersionIs406ListingTheSupportedTypes() {
        JsonNode problem = assertProblem(http.get("/products/ie", "Accept", "application/vnd.sava.v9+json"), 406);
        assertEquals("Supported media types: application/vnd.sava.v2+json, application/vnd.sava.v1+json, "
                + "application/json.", problem.get("detail").asText());
    }

    @Test
    void aWholeListIsAnsweredWithTheSameBytesAndHeadersAsAQueriedOne() {
        for (String accept : List.of(V1, V2)) {
            for (String path : List.of("/products", "/products/ie", "/products/NL")) {
                Http.Response queried = http.get(path + "?_sort=id", "Accept", accept);
                for (int i = 0; i < 2; i++) { // the first whole list is encoded, the second comes from the cache
                    Http.Response whole = http.get(path, "Accept", accept);
                    String what = path + " " + accept + " #" + i;
                    assertEquals(200, whole.status(), what);
                    assertEquals(queried.body(), whole.body(), what);
                    assertEquals(accept, whole.contentType(), what);
                    assertEquals(queried.header("X-Total-Count"), whole.header("X-Total-Count"), what);
                    assertEquals("Accept", whole.header("Vary").orElse(null), what);
                }
            }
        }
    }

    @Test
    void onlyLocalesTheCatalogueHasAreKeptEncoded() {
        assertTrue(encodedLists.find(null, ApiVersion.V1).isPresent());
        assertTrue(encodedLists.find("ie", ApiVersion.V1).isPresent());
        assertTrue(encodedLists.find("xx", ApiVersion.V1).isEmpty());
        assertTrue(encodedLists.find("*", ApiVersion.V1).isEmpty());
    }

    @Test
    void localesMatchWhateverTheirCase() {
        assertEquals(List.of(3, 6, 7), ids(http.get("/products/IE", "Accept", V1)));
        assertEquals(200, http.get("/products/Ie/3", "Accept", V1).status());
    }

    @Test
    void anUnknownLocaleIsAnEmptyList() {
        Http.Response response = http.get("/products/xx");

        assertEquals(200, response.status());
        assertEquals("[]", response.body());
        assertEquals("0", response.header("X-Total-Count").orElse(null));
    }

    @Test
    void everyLocaleHasProducts() {
        for (String locale : List.of("en", "ie", "uk", "us", "nl")) {
            assertTrue(ids(http.get("/products/" + locale)).size() >= 3, locale);
        }
    }

    @Test
    void aProductInAnotherLocaleOrAbsentIs404() {
        assertProblem(http.get("/products/ie/1"), 404);
        assertEquals("No product 99 in locale 'ie'.", assertProblem(http.get("/products/ie/99"), 404).get("detail").asText());
        assertProblem(http.get("/images/99.svg"), 404);
    }

    @Test
    void aNonNumericIdIs400NamingIt() {
        assertViolations(http.get("/products/ie/three"), 400, "id");
    }

    @Test
    void pagesLikeJsonServerWithTheTotalInAHeader() {
        Http.Response response = http.get("/products?_page=2&_limit=5");

        assertEquals(List.of(6, 7, 8, 9, 10), ids(response));
        assertEquals("16", response.header("X-Total-Count").orElse(null));
        assertEquals("[]", http.get("/products?_page=9&_limit=5").body());
    }

    @Test
    void sortsByAFieldInEitherOrder() {
        assertEquals(List.of(5, 1, 2, 4), ids(http.get("/products/en?_sort=price&_order=desc")));
        assertEquals(List.of(4, 2, 1, 5), ids(http.get("/products/en?_sort=price")));
        assertEquals(List.of(4, 2, 5, 1), ids(http.get("/products/en?_sort=title&_order=asc")));
    }

    @Test
    void searchesTitlesAndDescriptions() {
        Http.Response response = http.get("/products?q=COFFEE");

        assertEquals(List.of(1, 15), ids(response));
        assertEquals("2", response.header("X-Total-Count").orElse(null));
    }

    @Test
    void badQueryParametersAreNamed() {
        assertViolations(http.get("/products?_sort=colour"), 400, "_sort");
        assertViolations(http.get("/products?_order=sideways"), 400, "_order");
        assertViolations(http.get("/products?_limit=0"), 400, "_limit");
        assertViolations(http.get("/products?_page=-1"), 400, "_page");
        assertViolations(http.get("/products?_page=two"), 400, "_page");
    }

    private static List<Integer> ids(Http.Response response) {
        assertEquals(200, response.status(), response::toString);
        List<Integer> ids = new ArrayList<>();
        response.json().forEach(p -> ids.add(p.get("id").asInt()));
        return ids;
    }

    private static List<String> fields(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
