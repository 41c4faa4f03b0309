package io.microcanary.savaproduct;

import io.microcanary.support.problem.ProblemException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.annotation.QueryValue;

import java.util.List;

/** The catalogue routes; the representation is negotiated here rather than by the router, to name it exactly. */
@Controller("/products")
@Produces(MediaType.ALL)
class ProductController {

    private final Catalogue catalogue;

    ProductController(Catalogue catalogue) {
        this.catalogue = catalogue;
    }

    @Get
    HttpResponse<List<Object>> all(@Nullable @Header(HttpHeaders.ACCEPT) String accept,
                                   @Nullable @QueryValue String q, @Nullable @QueryValue("_sort") String sort,
                                   @Nullable @QueryValue("_order") String order,
                                   @Nullable @QueryValue("_page") Integer page,
                                   @Nullable @QueryValue("_limit") Integer limit) {
        return list(accept, catalogue.all(), new ProductQuery(q, sort, order, page, limit));
    }

    @Get("/{locale}")
    HttpResponse<List<Object>> inLocale(String locale, @Nullable @Header(HttpHeaders.ACCEPT) String accept,
                                        @Nullable @QueryValue String q, @Nullable @QueryValue("_sort") String sort,
                                        @Nullable @QueryValue("_order") String order,
                                        @Nullable @QueryValue("_page") Integer page,
                                        @Nullable @QueryValue("_limit") Integer limit) {
        return list(accept, catalogue.inLocale(locale), new ProductQuery(q, sort, order, page, limit));
    }

    @Get("/{locale}/{id}")
    HttpResponse<Object> one(String locale, long id, @Nullable @Header(HttpHeaders.ACCEPT) String accept) {
        ApiVersion version = negotiate(accept);
        Product product = catalogue.find(locale, id).orElseThrow(() -> new ProblemException(HttpStatus.NOT_FOUND,
                "No product " + id + " in locale '" + locale + "'."));
        return versioned(HttpResponse.ok(ProductViews.view(product, version)), version);
    }

    private HttpResponse<List<Object>> list(String accept, List<Product> products, ProductQuery query) {
        ApiVersion version = negotiate(accept);
        ProductQuery.Result result = query.apply(products);
        return versioned(HttpResponse.ok(ProductViews.views(result.items(), version)), version)
                .header("X-Total-Count", String.valueOf(result.total()));
    }

    private static ApiVersion negotiate(String accept) {
        return VersionNegotiation.choose(accept).orElseThrow(() -> new ProblemException(HttpStatus.NOT_ACCEPTABLE,
                "Supported media types: " + String.join(", ", ApiVersion.SUPPORTED) + "."));
    }

    private static <T> io.micronaut.http.MutableHttpResponse<T> versioned(io.micronaut.http.MutableHttpResponse<T> response,
                                                                         ApiVersion version) {
        return response.contentType(version.mediaType()).header(HttpHeaders.VARY, HttpHeaders.ACCEPT);
    }
}
