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
        return list(accept, null, new ProductQuery(q, sort, order, page, limit));
    }

    @Get("/{locale}")
    HttpResponse<?> inLocale(String locale, @Nullable @Header(HttpHeaders.ACCEPT) String accept,
                             @Nullable @QueryValue String q, @Nullable @QueryValue("_sort") String sort,
                             @Nullable @QueryValue("_order") String order,
                             @Nullable @QueryValue("_page") Integer page,
                             @Nullable @QueryValue("_limit") Integer limit) {
        return list(accept, locale, new ProductQuery(q, sort, order, page, limit));
    }

    @Get("/{locale}/{id}")
    HttpResponse<Object> one(String locale, long id, @Nullable @Header(HttpHeaders.ACCEPT) String accept) {
        ApiVersion version = negotiate(accept);
        Product product = catalogue.find(locale, id).orElseThrow(() -> new ProblemException(HttpStatus.NOT_FOUND,
                "No product " + id + " in locale '" + locale + "'."));
        return versioned(HttpResponse.ok(ProductViews.view(product, version)), version);
    }

    /** {@code locale} null: every locale. A whole list goes out as kept encoded; a queried one is built. */
    private HttpResponse<?> list(String accept, @Nullable String locale, ProductQuery query) {
        ApiVersion version = negotiate(accept);
        if (query.asksForTheWholeList()) {
            Optional<EncodedLists.Encoded> whole = encodedLists.find(locale, version);
            if (whole.isPresent()) {
                return encoded(whole.get(), version);
            }
        }
        ProductQuery.Result result = query.apply(locale == null ? catalogue.all() : catalogue.inLocale(locale));
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
