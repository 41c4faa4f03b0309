package io.microcanary.savacart;

import io.microcanary.support.web.Templates;
import jakarta.inject.Singleton;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The store's pages, rendered on the server from src/main/jte (one layout, {@code layout.jte}) as UTF-8 bytes; the
 * templates escape every value. Styles and images are local.
 */
@Singleton
class Pages {

    private final Templates templates = new Templates(Pages.class);
    private final StoreSettings settings;
    private final Money money;

    Pages(StoreSettings settings) {
        this.settings = settings;
        this.money = new Money(settings.locale());
    }

    /** One line of the cart, priced from the products the page shows. */
    record Line(Product product, int quantity) {
        BigDecimal total() {
            return product.price().multiply(BigDecimal.valueOf(quantity));
        }
    }

    /** What the layout shows around every page: the page's name, the store's heading, the cart and the catalogue. */
    record Frame(String page, String heading, int cartCount, Products.Source source) {
    }

    record ProductList(Frame frame, List<Product> products, Money money) {
    }

    record CartPage(Frame frame, List<Line> lines, Money money) {
        BigDecimal total() {
            return lines.stream().map(Line::total).reduce(BigDecimal.ZERO, BigDecimal::add);
        }
    }

    /** One input of the checkout form: what was typed (never null), and what to fix, if anything. */
    record Field(String name, String label, String type, String value, String problem) {
        /** The aria attributes' values; null when there is no problem, which leaves the attribute out. */
        String invalid() {
            return problem == null ? null : "true";
        }

        String problemId() {
            return problem == null ? null : name + "-problem";
        }
    }

    record CheckoutPage(Frame frame, boolean cartEmpty, List<Field> fields) {
    }

    record Confirmation(Frame frame, String orderNumber, String name) {
    }

    record NotFound(Frame frame, String what) {
    }

    byte[] products(Products products, Cart cart) {
        return templates.render("products.jte", new ProductList(frame("Products", cart, products), products.items(), money));
    }

    byte[] cart(List<Line> lines, Cart cart, Products products) {
        return templates.render("cart.jte", new CartPage(frame("Cart", cart, products), lines, money));
    }

    byte[] checkout(CheckoutForm form, Map<String, String> problems, Cart cart, Products products) {
        List<Field> fields = List.of(
                field("name", "Name", "text", form.name(), problems),
                field("email", "Email", "email", form.email(), problems),
                field("address", "Address", "text", form.address(), problems));
        return templates.render("checkout.jte", new CheckoutPage(frame("Checkout", cart, products), cart.isEmpty(), fields));
    }

    byte[] confirmation(String orderNumber, String name, Products products) {
        return templates.render("confirmation.jte",
                new Confirmation(frame("Order confirmed", Cart.EMPTY, products), orderNumber, name));
    }

    byte[] notFound(String what, Cart cart, Products products) {
        return templates.render("notfound.jte", new NotFound(frame("Not found", cart, products), what));
    }

    private Frame frame(String page, Cart cart, Products products) {
        return new Frame(page, settings.heading(), cart.count(), products.source());
    }

    private static Field field(String name, String label, String type, String value, Map<String, String> problems) {
        return new Field(name, label, type, Objects.requireNonNullElse(value, ""), problems.get(name));
    }
}
