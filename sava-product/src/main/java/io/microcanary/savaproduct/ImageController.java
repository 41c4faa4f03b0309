package io.microcanary.savaproduct;

import io.microcanary.support.problem.ProblemException;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;

/**
 * The v2 {@code img} of each product, drawn here (a tile with the product's initial) so the store needs no
 * external image host.
 */
@Controller("/images")
class ImageController {

    private static final String[] COLOURS = {"#2b6cb0", "#2f855a", "#b7791f", "#c53030", "#6b46c1", "#2c7a7b"};

    private final Catalogue catalogue;

    ImageController(Catalogue catalogue) {
        this.catalogue = catalogue;
    }

    @Get("/{id}.svg")
    HttpResponse<String> image(long id) {
        Product product = catalogue.find(id)
                .orElseThrow(() -> new ProblemException(HttpStatus.NOT_FOUND, "No image for product " + id + "."));
        String initial = escape(product.title().substring(0, 1).toUpperCase(java.util.Locale.ROOT));
        String svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"160\" height=\"160\" viewBox=\"0 0 160 160\">"
                + "<rect width=\"160\" height=\"160\" rx=\"12\" fill=\"" + COLOURS[(int) (id % COLOURS.length)] + "\"/>"
                + "<text x=\"80\" y=\"104\" font-family=\"sans-serif\" font-size=\"72\" text-anchor=\"middle\" fill=\"#fff\">"
                + initial + "</text></svg>";
        return HttpResponse.ok(svg).contentType("image/svg+xml").header("Cache-Control", "public, max-age=86400");
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
