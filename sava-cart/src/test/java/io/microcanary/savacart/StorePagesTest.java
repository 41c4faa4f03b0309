package io.microcanary.savacart;

import io.microcanary.testsupport.http.Http;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every page and redirect of the store, with the catalogue up (answering v1, then v2). */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StorePagesTest implements TestPropertyProvider {

    private static final FakeCatalogue catalogue = new FakeCatalogue();

    @Inject
    EmbeddedServer server;

    private Browser browser;

    @Override
    public Map<String, String> getProperties() {
        return Map.of("micronaut.http.services.catalogue.url", catalogue.url(), "store.locale", "ie",
                "store.title", "Sava Store", "store.cart-signing-key", "test-key-0123456789");
    }

    @AfterAll
    void stopCatalogue() {
        catalogue.close();
    }

    @BeforeEach
    void newShopper() {
        catalogue.answer(FakeCatalogue.Mode.V1);
        browser = new Browser(Http.at(server.getURI()));
    }

    @Test
    void theProductsPageShowsTheLocalesProductsInItsCurrency() {
        Http.Response page = browser.get("/");

        assertEquals(200, page.status(), page::toString);
        assertTrue(page.contentType().startsWith("text/html"), page::toString);
        Document html = Jsoup.parse(page.body());
        assertEquals("Sava Store (IE)", html.selectFirst("header h1 > a[href=/]").text(), page::toString);
        assertEquals("Products - Sava Store (IE)", html.title());
        assertEquals(3, html.select("ul.products > li.product").size(), page::toString);
        Element dreamcatcher = html.selectFirst("li.product[data-id=3]");
        assertEquals("Dreamcatcher", dreamcatcher.selectFirst("h3").text(), page::toString);
        assertEquals("€25.00", dreamcatcher.selectFirst("p.price").text(), page::toString);
        assertEquals("/add/3", dreamcatcher.selectFirst("a.button").attr("href"), page::toString);
        assertEquals("Cart (0)", html.selectFirst("a.cart-link[href=/cart]").text(), page::toString);
        assertFalse(page.body().contains("offline"), page::toString);
        assertEquals("application/vnd.sava.v1+json", catalogue.acceptHeaders().get(catalogue.acceptHeaders().size() - 1));
    }

    @Test
    void productTextIsEscaped() {
        String body = browser.get("/").body();

        assertFalse(body.contains("<script>alert"), body);
        Document html = Jsoup.parse(body);
        assertTrue(html.select("script").isEmpty(), body);
        assertTrue(html.select("li.product p").eachText().contains("<script>alert('x')</script>"), body);
    }

    @Test
    void whatTheCatalogueSendsIsEscapedOnEveryPageThatShowsIt() {
        catalogue.answer(FakeCatalogue.Mode.HOSTILE);
        browser.get("/add/" + FakeCatalogue.HOSTILE_ID);

        for (String path : List.of("/", "/cart")) {
            Http.Response page = browser.get(path);
            Document html = Jsoup.parse(page.body());

            assertTrue(html.select("script").isEmpty(), page::toString);
            assertTrue(html.select("[onmouseover], b").isEmpty(), page::toString);
            assertTrue(html.text().contains(FakeCatalogue.HOSTILE_TITLE), page::toString);
        }
    }

    @Test
    void addingRedirectsHomeAndCountsInTheHeader() {
        Http.Response added = browser.get("/add/3");

        assertEquals(302, added.status(), added::toString);
        assertEquals("/", added.header("Location").orElse(null));
        assertEquals("Cart (1)", cartLink(browser.get("/")));
    }

    @Test
    void theCartShowsQuantitiesLineTotalsAndTheTotal() {
        browser.get("/add/3");
        browser.get("/add/3");
        browser.get("/add/6");

        Http.Response cart = browser.get("/cart");

        assertEquals(200, cart.status());
        assertEquals("Cart (3)", cartLink(cart), cart::toString);
        Document html = Jsoup.parse(cart.body());
        assertEquals(List.of("Dreamcatcher", "2", "€25.00", "€50.00", "Remove"),
                html.select("table.cart tbody tr.line[data-id=3] > td").eachText(), cart::toString);
        assertEquals("2", html.selectFirst("tr.line[data-id=3] td.quantity").text(), cart::toString);
        assertEquals("€50.00", html.selectFirst("tr.line[data-id=3] td.line-total").text(), cart::toString);
        assertEquals("/remove/3", html.selectFirst("tr.line[data-id=3] a").attr("href"), cart::toString);
        assertEquals(2, html.select("tr.line").size(), cart::toString);
        assertEquals("€85.00", total(cart), cart::toString);
        assertEquals("/checkout", html.selectFirst("a.button:contains(Checkout)").attr("href"), cart::toString);
    }

    @Test
    void removingALineRedirectsToTheCart() {
        browser.get("/add/3");
        browser.get("/add/7");

        Http.Response removed = browser.get("/remove/3");

        assertEquals(302, removed.status());
        assertEquals("/cart", removed.header("Location").orElse(null));
        Http.Response cart = browser.get("/cart");
        assertTrue(Jsoup.parse(cart.body()).select("[data-id=3]").isEmpty(), cart::toString);
        assertEquals("€129.00", total(cart), cart::toString);
    }

    @Test
    void anEmptyCartSaysSo() {
        assertEquals("Your shopping cart is empty.", emptyNotice(browser.get("/cart")));
    }

    @Test
    void anUnknownProductIsANotFoundPage() {
        Http.Response response = browser.get("/add/999");

        assertEquals(404, response.status());
        assertTrue(response.contentType().startsWith("text/html"), response::toString);
        Document html = Jsoup.parse(response.body());
        assertEquals("Not found", html.selectFirst("main h2").text(), response::toString);
        assertEquals("There is no product 999 in this store.", html.selectFirst("main h2 + p").text(), response::toString);
        assertEquals("Cart (0)", cartLink(browser.get("/")));
    }

    @Test
    void checkoutTakesTheOrderAndEmptiesTheCart() {
        browser.get("/add/7");
        Http.Response form = browser.get("/checkout");
        Element checkout = Jsoup.parse(form.body()).selectFirst("main form");
        assertEquals("post", checkout.attr("method"), form::toString);
        assertEquals("/checkout", checkout.attr("action"), form::toString);
        assertTrue(checkout.hasAttr("novalidate"), form::toString);
        assertEquals(List.of("name", "email", "address"), checkout.select("input").eachAttr("name"), form::toString);
        assertEquals(List.of("text", "email", "text"), checkout.select("input").eachAttr("type"), form::toString);
        assertEquals(List.of("", "", ""), checkout.select("input").eachAttr("value"), form::toString);
        assertEquals(List.of("name", "email", "address"), checkout.select("label").eachAttr("for"), form::toString);
        assertTrue(checkout.select("[aria-invalid], .problem").isEmpty(), form::toString);
        assertEquals("Place order", checkout.selectFirst("button[type=submit]").text(), form::toString);

        Http.Response confirmed = browser.postForm("/checkout", "name=Ada+Lovelace&email=ada%40example.org&address=1+Analytical+Way");

        assertEquals(200, confirmed.status(), confirmed::toString);
        Document html = Jsoup.parse(confirmed.body());
        assertEquals("Thank you, Ada Lovelace!", html.selectFirst("main h2").text(), confirmed::toString);
        assertTrue(html.selectFirst("strong.order-number").text().matches("SAVA-[0-9A-F]{8}"), confirmed::toString);
        assertEquals("Cart (0)", cartLink(confirmed), confirmed::toString);
        assertEquals(null, browser.cookie(CartCookie.NAME), "the cart cookie is cleared");
        assertEquals("Your shopping cart is empty.", emptyNotice(browser.get("/cart")));
    }

    @Test
    void invalidCheckoutInputReRendersTheFormWithFieldMessages() {
        browser.get("/add/7");

        Http.Response response = browser.postForm("/checkout", "name=&email=not-an-email&address=%3Cb%3E");

        assertEquals(400, response.status());
        Document html = Jsoup.parse(response.body());
        assertEquals("Please tell us your name.", html.selectFirst("p.problem#name-problem").text(), response::toString);
        assertEquals("That does not look like an email address.", html.selectFirst("p.problem#email-problem").text(),
                response::toString);
        assertEquals("true", html.selectFirst("input#email").attr("aria-invalid"), response::toString);
        assertEquals("email-problem", html.selectFirst("input#email").attr("aria-describedby"), response::toString);
        assertFalse(response.body().contains("address-problem"), response::toString);
        assertFalse(html.selectFirst("input#address").hasAttr("aria-invalid"), response::toString);
        assertEquals("not-an-email", html.selectFirst("input#email").val(), "keeps what was typed");
        assertEquals("<b>", html.selectFirst("input#address").val(), "escapes what was typed");
        assertFalse(response.body().contains("<b>"), "escapes what was typed");
        assertEquals("Cart (1)", cartLink(browser.get("/")), "the cart is kept");
    }

    @Test
    void whatTheShopperTypesIsEscapedInTheFormAndTheConfirmation() {
        String hostile = "\"><script>alert('x')</script>";
        String typed = java.net.URLEncoder.encode(hostile, java.nio.charset.StandardCharsets.UTF_8);
        browser.get("/add/7");

        Http.Response form = browser.postForm("/checkout", "name=" + typed + "&email=" + typed + "&address=" + typed);
        Http.Response confirmed = browser.postForm("/checkout", "name=" + typed + "&email=a%40b.co&address=" + typed);

        assertEquals(400, form.status(), form::toString);
        Document formHtml = Jsoup.parse(form.body());
        assertTrue(formHtml.select("script").isEmpty(), form::toString);
        assertEquals(hostile, formHtml.selectFirst("input#name").val(), form::toString);
        assertEquals(hostile, formHtml.selectFirst("input#email").val(), form::toString);
        assertEquals(200, confirmed.status(), confirmed::toString);
        Document confirmation = Jsoup.parse(confirmed.body());
        assertTrue(confirmation.select("script").isEmpty(), confirmed::toString);
        assertEquals("Thank you, " + hostile + "!", confirmation.selectFirst("main h2").text(), confirmed::toString);
    }

    @Test
    void checkingOutAnEmptyCartIsRefused() {
        Http.Response response = browser.postForm("/checkout", "name=A&email=a%40b.co&address=x");

        assertEquals(409, response.status());
        assertEquals("Your shopping cart is empty.", emptyNotice(response), response::toString);
        assertTrue(Jsoup.parse(response.body()).select("form").isEmpty(), response::toString);
    }

    @Test
    void aTamperedCartCookieIsAnEmptyCartNotAnError() {
        browser.get("/add/3");
        String signed = browser.cookie(CartCookie.NAME);
        browser.setCookie(CartCookie.NAME, signed.replaceFirst("^3-1", "3-50"));

        Http.Response page = browser.get("/cart");

        assertEquals(200, page.status());
        assertEquals("Your shopping cart is empty.", emptyNotice(page), page::toString);
        browser.setCookie(CartCookie.NAME, "garbage");
        assertEquals(200, browser.get("/").status());
    }

    @Test
    void keepsWorkingUnchangedWhenTheCatalogueAnswersV2WithNewFields() {
        catalogue.answer(FakeCatalogue.Mode.V2);
        browser.get("/add/6");

        Http.Response page = browser.get("/");
        Http.Response cart = browser.get("/cart");

        assertEquals("€129.00", Jsoup.parse(page.body()).selectFirst("li.product[data-id=7] p.price").text(), page::toString);
        assertFalse(page.body().contains("offline"), page::toString);
        assertEquals("€35.00", total(cart), cart::toString);
    }

    @Test
    void stylesAreServedLocally() {
        Http.Response css = browser.get("/assets/style.css");

        assertEquals(200, css.status());
        assertTrue(css.body().contains("@media (min-width: 40em)"), "responsive layout");
    }

    private static String cartLink(Http.Response page) {
        return Jsoup.parse(page.body()).selectFirst("header nav a.cart-link").text();
    }

    private static String total(Http.Response cart) {
        return Jsoup.parse(cart.body()).selectFirst("table.cart tfoot th.total").text();
    }

    private static String emptyNotice(Http.Response page) {
        return Jsoup.parse(page.body()).selectFirst("main p.empty").text();
    }
}
