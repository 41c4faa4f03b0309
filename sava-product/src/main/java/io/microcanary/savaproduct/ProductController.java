package io.microcanary.savaproduct;

import io.microcanary.support.problem.ProblemException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.annotation.QueryValue;

import java.util.List;
import java.util.Optional;

/** The catalogue routes; the representation is negotiated here rather than by the router, to name it exactly. */
@Controller("/products")
@Produces(MediaType.ALL)
class ProductController {

    private final Catalogue catalogue;
    private final EncodedLists encodedLists;

    ProductController(Catalogue catalogue, EncodedLists encodedLists) {
        this.catalogue = catalogue;
        this.encodedLists = encodedLists;
    }

    @Get
    HttpResponse<?> all(@Nullable @Header(HttpHeaders.ACCEPT) String accept,
                                   @Nullable @QueryValue String q, @Nullable @QueryValue("_sort") String sort,
                                   @Nullable @QueryValue("_order") String order,
                                   @Nullable @QueryValue("_page") Integer page,
                                   @Nullable @QueryValue("_limit") Integer limit) {
        ProductQuery query = new ProductQuery(q, sort, order, page, limit);
        ApiVersion version = negotiate(accept);
        if (query.asksForTheWholeList()) {
            return encoded(encodedLists.all(version), version);
        }
        return list(version, catalogue.all(), query);
    }

    @Get("/{locale}")
    HttpResponse<?> inLocale(String locale, @Nullable @Header(HttpHeaders.ACCEPT) String accept,
                                        @Nullable @QueryValue String q, @Nullable @QueryValue("_sort") String sort,
                                        @Nullable @QueryValue("_order") String order,
                                        @Nullable @QueryValue("_page") Integer page,
                                        @Nullable @QueryValue("_limit") Integer limit) {
        ProductQuery query = new ProductQuery(q, sort, order, page, limit);
        ApiVersion version = negotiate(accept);
        if (query.asksForTheWholeList()) {
            Optional<EncodedLists.Encoded> whole = encodedLists.inLocale(locale, version);
            if (whole.isPresent()) {
                return encoded(whole.get(), version);
            }
        }
        return list(version, catalogue.inLocale(locale), query);
    }

    @Get("/{locale}/{id}")
    HttpResponse<Object> one(String locale, long id, @Nullable @Header(HttpHeaders.ACCEPT) String accept) {
        ApiVersion version = negotiate(accept);
        Product product = catalogue.find(locale, id).orElseThrow(() -> new ProblemException(HttpStatus.NOT_FOUND,
                "No product " + id + " in locale '" + locale + "'."));
        return versioned(HttpResponse.ok(ProductViews.view(product, version)), version);
    }

    private static HttpResponse<List<Object>> list(ApiVersion version, List<Product> products, ProductQuery query) {
        ProductQuery.Result result = query.apply(products);
        return versioned(HttpResponse.ok(ProductViews.views(result.items(), version)), version)
                .header("X-Total-Count", String.valueOf(result.total()));
    }

    /** The same bytes and headers {@link #list} would give for the whole list, without encoding it again. */
    private static HttpResponse<byte[]> encoded(EncodedLists.Encoded whole, ApiVersion version) {
        return versioned(HttpResponse.ok(whole.body()), version).header("X-Total-Count", String.valueOf(whole.count()));
    }

    private static ApiVersion negotiate(String accept) {
        return VersionNegotiation.choose(accept).orElseThrow(() -> new ProblemException(HttpStatus.NOT_ACCEPTABLE,
                "Supported media types: " + String.join(", ", ApiVersion.SUPPORTED) + "."));
    }

    private static <T> MutableHttpResponse<T> versioned(MutableHttpResponse<T> response, ApiVersion version) {
        return response.contentType(version.mediaType()).header(HttpHeaders.VARY, HttpHeaders.ACCEPT);
    }
}
