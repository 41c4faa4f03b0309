package io.microcanary.savacart;

import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.client.annotation.Client;

import java.util.List;

/** {@code GET {PRODUCT_SERVICE_ADDR}/products/{locale}}, asking for v1 (and reading v2 just as well). */
@Client(id = "catalogue")
@Header(name = "Accept", value = "application/vnd.sava.v1+json")
interface CatalogueClient {

    @Get("/products/{locale}")
    List<CatalogueItem> products(String locale);
}
