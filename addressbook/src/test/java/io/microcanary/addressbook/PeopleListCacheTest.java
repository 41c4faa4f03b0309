package io.microcanary.addressbook;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micronaut.serde.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** When the cached listing may be served, and when it must not be. */
class PeopleListCacheTest {

    private final PeopleListCache cache = new PeopleListCache(ObjectMapper.getDefault(), new SimpleMeterRegistry());
    private final AtomicInteger queries = new AtomicInteger();
    private List<PersonView> table = List.of(person(1, "Ada"));

    private final Supplier<List<PersonView>> query = () -> {
        queries.incrementAndGet();
        return table;
    };

    @Test
    void whileSubscribedAnUnchangedListIsQueriedOnce() {
        cache.subscribed();

        PeopleListCache.Listing first = cache.get(query);
        PeopleListCache.Listing second = cache.get(query);

        assertEquals(1, queries.get());
        assertEquals(first, second);
        assertEquals("[{\"id\":1,\"firstName\":\"Ada\",\"lastName\":null,\"createdAt\":\"2026-01-02T03:04:05.006Z\","
                + "\"updatedAt\":\"2026-01-02T03:04:05.006Z\"}]", new String(second.body(), StandardCharsets.UTF_8));
    }

    @Test
    void aChangeMakesTheNextReadQueryAgain() {
        cache.subscribed();
        PeopleListCache.Listing before = cache.get(query);

        table = List.of(person(1, "Ada"), person(2, "Grace"));
        cache.changed();
        PeopleListCache.Listing after = cache.get(query);

        assertEquals(2, queries.get());
        assertNotEquals(before.etag(), after.etag());
        assertEquals(after, cache.get(query));
    }

    @Test
    void unsubscribedEveryReadQueries() {
        cache.get(query);
        cache.get(query);
        cache.subscribed();
        cache.get(query);
        cache.unsubscribed();
        cache.get(query);

        assertEquals(4, queries.get());
    }

    @Test
    void aLoadThatRacedWithAChangeIsNeverServedAfterIt() {
        cache.subscribed();
        Supplier<List<PersonView>> changedWhileLoading = () -> {
            List<PersonView> stale = query.get();
            table = List.of(person(1, "Ada"), person(2, "Grace"));
            cache.changed(); // the notice arrives while this read is still encoding its (now stale) rows
            return stale;
        };

        PeopleListCache.Listing stale = cache.get(changedWhileLoading);
        PeopleListCache.Listing next = cache.get(query);

        assertEquals(2, queries.get());
        assertNotEquals(stale.etag(), next.etag());
    }

    @Test
    void equalListsHaveEqualTagsWhicheverCacheEncodedThem() {
        PeopleListCache other = new PeopleListCache(ObjectMapper.getDefault(), new SimpleMeterRegistry());

        assertEquals(cache.get(query).etag(), other.get(query).etag());
    }

    private static PersonView person(long id, String firstName) {
        Instant at = Instant.parse("2026-01-02T03:04:05.006Z");
        return new PersonView(id, firstName, null, at, at);
    }
}
