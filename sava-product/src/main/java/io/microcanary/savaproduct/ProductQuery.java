package io.microcanary.savaproduct;

import io.microcanary.support.problem.ProblemException;
import io.micronaut.core.annotation.Nullable;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The json-server query the original catalogue answered: {@code q} (text in title or description),
 * {@code _sort}/{@code _order}, {@code _page}/{@code _limit}. Invalid values are 400s naming the parameter.
 */
record ProductQuery(@Nullable String q, @Nullable String sort, @Nullable String order,
                    @Nullable Integer page, @Nullable Integer limit) {

    private static final Map<String, Comparator<Product>> SORTABLE = Map.of(
            "id", Comparator.comparingLong(Product::id),
            "title", Comparator.comparing((Function<Product, String>) p -> p.title().toLowerCase(Locale.ROOT)),
            "price", Comparator.comparing(Product::price),
            "locale", Comparator.comparing(Product::locale));

    ProductQuery {
        if (sort != null && !SORTABLE.containsKey(sort)) {
            throw ProblemException.invalidField("_sort", "must be one of " + String.join(", ", SORTABLE.keySet().stream().sorted().toList()));
        }
        if (order != null && !order.equalsIgnoreCase("asc") && !order.equalsIgnoreCase("desc")) {
            throw ProblemException.invalidField("_order", "must be asc or desc");
        }
        if (page != null && page < 1) {
            throw ProblemException.invalidField("_page", "must be 1 or more");
        }
        if (limit != null && limit < 1) {
            throw ProblemException.invalidField("_limit", "must be 1 or more");
        }
    }

    /** No filter, order or page: the whole list in id order, which {@link EncodedLists} keeps encoded. */
    boolean asksForTheWholeList() {
        return (q == null || q.isBlank()) && sort == null && order == null && page == null && limit == null;
    }

    /** The matching products (all of them, unpaged, for {@code X-Total-Count}) and the requested page of them. */
    Result apply(List<Product> products) {
        List<Product> matching = products.stream().filter(this::matches).sorted(comparator()).toList();
        if (page == null && limit == null) {
            return new Result(matching, matching.size());
        }
        int size = limit != null ? limit : 10; // json-server's default page size
        int from = Math.min((page != null ? page - 1 : 0) * size, matching.size());
        return new Result(matching.subList(from, Math.min(from + size, matching.size())), matching.size());
    }

    private boolean matches(Product product) {
        if (q == null || q.isBlank()) {
            return true;
        }
        String needle = q.toLowerCase(Locale.ROOT);
        return product.title().toLowerCase(Locale.ROOT).contains(needle)
                || product.description().toLowerCase(Locale.ROOT).contains(needle);
    }

    private Comparator<Product> comparator() {
        Comparator<Product> comparator = SORTABLE.get(sort != null ? sort : "id");
        return "desc".equalsIgnoreCase(order) ? comparator.reversed() : comparator;
    }

    record Result(List<Product> items, int total) {
    }
}
