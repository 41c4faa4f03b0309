package io.microcanary.savacart;

import jakarta.inject.Singleton;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import static io.microcanary.support.web.Html.escape;

/** The store's pages, rendered on the server with every value escaped; styles and images are local. */
@Singleton
class Pages {

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

    String products(Products products, Cart cart) {
        StringBuilder body = new StringBuilder("<h2>Products</h2><ul class=\"products\">");
        for (Product product : products.items()) {
            body.append("<li class=\"product\" data-id=\"").append(product.id()).append("\"><h3>")
                    .append(escape(product.title())).append("</h3><p>").append(escape(product.description()))
                    .append("</p><p class=\"price\">").append(escape(money.format(product.price())))
                    .append("</p><a class=\"button\" href=\"/add/").append(product.id()).append("\">Add to cart</a></li>");
        }
        return layout("Products", cart, products, body.append("</ul>").toString());
    }

    String cart(List<Line> lines, Cart cart, Products products) {
        if (lines.isEmpty()) {
            return layout("Cart", cart, products, "<h2>Cart</h2><p class=\"empty\">Your shopping cart is empty.</p>"
                    + "<p><a href=\"/\">Continue shopping</a></p>");
        }
        StringBuilder body = new StringBuilder("<h2>Cart</h2><table class=\"cart\"><thead><tr><th>Product</th>"
                + "<th>Quantity</th><th>Price</th><th>Total</th><th></th></tr></thead><tbody>");
        BigDecimal total = BigDecimal.ZERO;
        for (Line line : lines) {
            total = total.add(line.total());
            body.append("<tr class=\"line\" data-id=\"").append(line.product().id()).append("\"><td>")
                    .append(escape(line.product().title())).append("</td><td class=\"quantity\">").append(line.quantity())
                    .append("</td><td>").append(escape(money.format(line.product().price())))
                    .append("</td><td class=\"line-total\">").append(escape(money.format(line.total())))
                    .append("</td><td><a href=\"/remove/").append(line.product().id()).append("\">Remove</a></td></tr>");
        }
        body.append("</tbody><tfoot><tr><th colspan=\"3\">Total</th><th class=\"total\">")
                .append(escape(money.format(total))).append("</th><th></th></tr></tfoot></table>")
                .append("<p><a class=\"button\" href=\"/checkout\">Checkout</a></p>");
        return layout("Cart", cart, products, body.toString());
    }

    String checkout(CheckoutForm form, Map<String, String> problems, Cart cart, Products products) {
        StringBuilder body = new StringBuilder("<h2>Checkout</h2>");
        if (cart.isEmpty()) {
            body.append("<p class=\"empty\">Your shopping cart is empty.</p><p><a href=\"/\">Continue shopping</a></p>");
            return layout("Checkout", cart, products, body.toString());
        }
        body.append("<form method=\"post\" action=\"/checkout\" novalidate>");
        field(body, "name", "Name", "text", form.name(), problems);
        field(body, "email", "Email", "email", form.email(), problems);
        field(body, "address", "Address", "text", form.address(), problems);
        body.append("<button type=\"submit\">Place order</button></form>");
        return layout("Checkout", cart, products, body.toString());
    }

    String confirmation(String orderNumber, String name, Products products) {
        return layout("Order confirmed", Cart.EMPTY, products, "<h2>Thank you, " + escape(name) + "!</h2>"
                + "<p>Your order number is <strong class=\"order-number\">" + escape(orderNumber) + "</strong>.</p>"
                + "<p><a href=\"/\">Continue shopping</a></p>");
    }

    String notFound(String what, Cart cart, Products products) {
        return layout("Not found", cart, products, "<h2>Not found</h2><p>" + escape(what) + "</p>"
                + "<p><a href=\"/\">Back to the products</a></p>");
    }

    private static void field(StringBuilder body, String name, String label, String type, String value,
                              Map<String, String> problems) {
        String problem = problems.get(name);
        body.append("<label for=\"").append(name).append("\">").append(label).append("</label><input id=\"")
                .append(name).append("\" name=\"").append(name).append("\" type=\"").append(type)
                .append("\" value=\"").append(escape(value)).append('"')
                .append(problem != null ? " aria-invalid=\"true\" aria-describedby=\"" + name + "-problem\"" : "")
                .append('>');
        if (problem != null) {
            body.append("<p class=\"problem\" id=\"").append(name).append("-problem\">").append(escape(problem)).append("</p>");
        }
    }

    private String layout(String page, Cart cart, Products products, String body) {
        String notice = switch (products.source()) {
            case LIVE -> "";
            case CACHED -> "<p class=\"notice offline\">The catalogue is offline: showing the last products we saw.</p>";
            case STUB -> "<p class=\"notice offline\">The catalogue is offline: showing our offline catalogue.</p>";
        };
        return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<title>" + escape(page + " - " + settings.heading()) + "</title>"
                + "<link rel=\"stylesheet\" href=\"/assets/style.css\"></head><body>"
                + "<header><h1><a href=\"/\">" + escape(settings.heading()) + "</a></h1>"
                + "<nav><a href=\"/\">Products</a> <a class=\"cart-link\" href=\"/cart\">Cart (" + cart.count() + ")</a></nav>"
                + "</header><main>" + notice + body + "</main></body></html>";
    }
}
