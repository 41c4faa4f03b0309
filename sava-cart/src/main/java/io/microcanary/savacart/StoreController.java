package io.microcanary.savacart;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Produces;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

import java.net.URI;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The store's pages; the cart comes from and goes back to its signed cookie on every request. */
@Controller
@Produces(MediaType.TEXT_HTML)
@ExecuteOn(TaskExecutors.BLOCKING)
class StoreController {

    private final CatalogueService catalogue;
    private final CartCookie cartCookie;
    private final Pages pages;

    StoreController(CatalogueService catalogue, CartCookie cartCookie, Pages pages) {
        this.catalogue = catalogue;
        this.cartCookie = cartCookie;
        this.pages = pages;
    }

    @Get
    byte[] products(HttpRequest<?> request) {
        return pages.products(catalogue.products(), cart(request));
    }

    @Get("/add/{id}")
    MutableHttpResponse<?> add(long id, HttpRequest<?> request) {
        Products products = catalogue.products();
        Cart cart = cart(request);
        if (products.find(id).isEmpty()) {
            return unknownProduct(id, cart, products);
        }
        return redirect("/").cookie(cartCookie.write(cart.add(id)));
    }

    @Get("/cart")
    byte[] cartPage(HttpRequest<?> request) {
        Products products = catalogue.products();
        Cart cart = cart(request);
        return pages.cart(lines(cart, products), cart, products);
    }

    @Get("/remove/{id}")
    MutableHttpResponse<?> remove(long id, HttpRequest<?> request) {
        return redirect("/cart").cookie(cartCookie.write(cart(request).remove(id)));
    }

    @Get("/checkout")
    byte[] checkoutForm(HttpRequest<?> request) {
        return pages.checkout(CheckoutForm.EMPTY, Map.of(), cart(request), catalogue.products());
    }

    @Post(uri = "/checkout", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    MutableHttpResponse<byte[]> checkout(@Body CheckoutForm form, HttpRequest<?> request) {
        Products products = catalogue.products();
        Cart cart = cart(request);
        Map<String, String> problems = form.problems();
        if (cart.isEmpty() || !problems.isEmpty()) {
            HttpStatus status = cart.isEmpty() ? HttpStatus.CONFLICT : HttpStatus.BAD_REQUEST;
            return HttpResponse.<byte[]>status(status).body(pages.checkout(form, problems, cart, products));
        }
        String orderNumber = "SAVA-" + HexFormat.of().withUpperCase().formatHex(OrderNumbers.RANDOM.generateSeed(4));
        return HttpResponse.ok(pages.confirmation(orderNumber, form.name().strip(), products))
                .cookie(cartCookie.clear());
    }

    /** Made on the first checkout, not with the controller: it loads the JDK's security providers, work a page skips. */
    private static final class OrderNumbers {
        static final SecureRandom RANDOM = new SecureRandom();
    }

    /** 302, as the original store answered. */
    private static MutableHttpResponse<?> redirect(String path) {
        return HttpResponse.status(HttpStatus.FOUND).headers(headers -> headers.location(URI.create(path)));
    }

    private Cart cart(HttpRequest<?> request) {
        return cartCookie.read(request.getCookies().findCookie(CartCookie.NAME));
    }

    private static List<Pages.Line> lines(Cart cart, Products products) {
        return cart.quantities().entrySet().stream()
                .map(entry -> products.find(entry.getKey()).map(product -> new Pages.Line(product, entry.getValue())))
                .flatMap(Optional::stream)
                .toList();
    }

    private MutableHttpResponse<?> unknownProduct(long id, Cart cart, Products products) {
        return HttpResponse.notFound(pages.notFound("There is no product " + id + " in this store.", cart, products))
                .contentType(MediaType.TEXT_HTML_TYPE);
    }
}
