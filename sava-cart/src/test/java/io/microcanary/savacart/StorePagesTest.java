package io.microcanary.savacart;

import io.microcanary.testsupport.http.Http;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
        assertTrue(page.body().contains("<h1><a href=\"/\">Sava Store (IE)</a></h1>"), page::toString);
        assertEquals(3, count(page.body(), "<li class=\"product\""));
        assertTrue(page.body().contains("<h3>Dreamcatcher</h3>"), page::toString);
        assertTrue(page.body().contains("<p class=\"price\">€25.00</p>"), page::toString);
        assertTrue(page.body().contains("Cart (0)"), page::toString);
        assertFalse(page.body().contains("offline"), page::toString);
        assertEquals("application/vnd.sava.v1+json", catalogue.acceptHeaders().get(catalogue.acceptHeaders().size() - 1));
    }

    @Test
    void productTextIsEscaped() {
        String body = browser.get("/").body();

        assertFalse(body.contains("<script>alert"), body);
        assertTrue(body.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"), body);
    }

    @Test
    void addingRedirectsHomeAndCountsInTheHeader() {
        Http.Response added = browser.get("/add/3");

        assertEquals(302, added.status(), added::toString);
        assertEquals("/", added.header("Location").orElse(null));
        assertTrue(browser.get("/").body().contains("Cart (1)"));
    }

    @Test
    void theCartShowsQuantitiesLineTotalsAndTheTotal() {
        browser.get("/add/3");
        browser.get("/add/3");
        browser.get("/add/6");

        Http.Response cart = browser.get("/cart");

        assertEquals(200, cart.status());
        assertTrue(cart.body().contains("Cart (3)"), cart::toString);
        assertTrue(cart.body().contains("<tr class=\"line\" data-id=\"3\"><td>Dreamcatcher</td><td class=\"quantity\">2</td>"
                + "<td>€25.00</td><td class=\"line-total\">€50.00</td>"), cart::toString);
        assertTrue(cart.body().contains("<th class=\"total\">€85.00</th>"), cart::toString);
    }

    @Test
    void removingALineRedirectsToTheCart() {
        browser.get("/add/3");
        browser.get("/add/7");

        Http.Response removed = browser.get("/remove/3");

        assertEquals(302, removed.status());
        assertEquals("/cart", removed.header("Location").orElse(null));
        String cart = browser.get("/cart").body();
        assertFalse(cart.contains("data-id=\"3\""), cart);
        assertTrue(cart.contains("<th class=\"total\">€129.00</th>"), cart);
    }

    @Test
    void anEmptyCartSaysSo() {
        assertTrue(browser.get("/cart").body().contains("Your shopping cart is empty."));
    }

    @Test
    void anUnknownProductIsANotFoundPage() {
        Http.Response response = browser.get("/add/999");

        assertEquals(404, response.status());
        assertTrue(response.contentType().startsWith("text/html"), response::toString);
        assertTrue(response.body().contains("There is no product 999 in this store."), response::toString);
        assertTrue(browser.get("/").body().contains("Cart (0)"));
    }

    @Test
    void checkoutTakesTheOrderAndEmptiesTheCart() {
        browser.get("/add/7");
        Http.Response form = browser.get("/checkout");
        assertTrue(form.body().contains("<form method=\"post\" action=\"/checkout\""), form::toString);

        Http.Response confirmed = browser.postForm("/checkout", "name=Ada+Lovelace&email=ada%40example.org&address=1+Analytical+Way");

        assertEquals(200, confirmed.status(), confirmed::toString);
        assertTrue(confirmed.body().contains("Thank you, Ada Lovelace!"), confirmed::toString);
        Matcher order = Pattern.compile("<strong class=\"order-number\">(SAVA-[0-9A-F]{8})</strong>").matcher(confirmed.body());
        assertTrue(order.find(), confirmed::toString);
        assertEquals(null, browser.cookie(CartCookie.NAME), "the cart cookie is cleared");
        assertTrue(browser.get("/cart").body().contains("Your shopping cart is empty."));
    }

    @Test
    void invalidCheckoutInputReRendersTheFormWithFieldMessages() {
        browser.get("/add/7");

        Http.Response response = browser.postForm("/checkout", "name=&email=not-an-email&address=%3Cb%3E");

        assertEquals(400, response.status());
        assertTrue(response.body().contains("<p class=\"problem\" id=\"name-problem\">Please tell us your name.</p>"), response::toString);
        assertTrue(response.body().contains("<p class=\"problem\" id=\"email-problem\">That does not look like an email address.</p>"), response::toString);
        assertFalse(response.body().contains("address-problem"), response::toString);
        assertTrue(response.body().contains("value=\"not-an-email\""), "keeps what was typed");
        assertTrue(response.body().contains("value=\"&lt;b&gt;\""), "escapes what was typed");
        assertTrue(browser.get("/").body().contains("Cart (1)"), "the cart is kept");
    }

    @Test
    void checkingOutAnEmptyCartIsRefused() {
        Http.Response response = browser.postForm("/checkout", "name=A&email=a%40b.co&address=x");

        assertEquals(409, response.status());
        assertTrue(response.body().contains("Your shopping cart is empty."), response::toString);
    }

    @Test
    void aTamperedCartCookieIsAnEmptyCartNotAnError() {
        browser.get("/add/3");
        String signed = browser.cookie(CartCookie.NAME);
        browser.setCookie(CartCookie.NAME, signed.replaceFirst("^3-1", "3-50"));

        Http.Response page = browser.get("/cart");

        assertEquals(200, page.status());
        assertTrue(page.body().contains("Your shopping cart is empty."), page::toString);
        browser.setCookie(CartCookie.NAME, "garbage");
        assertEquals(200, browser.get("/").status());
    }

    @Test
    void keepsWorkingUnchangedWhenTheCatalogueAnswersV2WithNewFields() {
        catalogue.answer(FakeCatalogue.Mode.V2);
        browser.get("/add/6");

        Http.Response page = browser.get("/");
        Http.Response cart = browser.get("/cart");

        assertTrue(page.body().contains("<p class=\"price\">€129.00</p>"), page::toString);
        assertFalse(page.body().contains("offline"), page::toString);
        assertTrue(cart.body().contains("<th class=\"total\">€35.00</th>"), cart::toString);
    }

    @Test
    void stylesAreServedLocally() {
        Http.Response css = browser.get("/assets/style.css");

        assertEquals(200, css.status());
        assertTrue(css.body().contains("@media (min-width: 40em)"), "responsive layout");
    }

    private static int count(String text, String needle) {
        return text.split(Pattern.quote(needle), -1).length - 1;
    }
}
