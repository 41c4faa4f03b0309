package io.microcanary.addressbook;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * {@code GET /all}'s encoded body, kept between changes to {@code people}, so that a read of an unchanged list costs
 * neither a query nor the encoding of every row.
 *
 * <p>Another replica's writes are heard of only through {@link PeopleChangeListener}, so the cache is used only
 * while the listener is subscribed; otherwise every read goes to the database. Each change bumps a generation, and
 * a listing is served only to reads of the generation it was loaded in: a load that raced with a change is never
 * served after it.
 */
@Singleton
class PeopleListCache {

    private static final Argument<List<PersonView>> PEOPLE = Argument.listOf(PersonView.class);

    /** The encoded list and its entity tag, a digest of the body, so every replica gives the same list one tag. */
    record Listing(byte[] body, String etag) {
    }

    private record Entry(long generation, Listing listing) {
    }

    private final JsonMapper json;
    private final Counter fromMemory;
    private final Counter fromDatabase;
    private final AtomicLong generation = new AtomicLong();
    private final AtomicReference<Entry> latest = new AtomicReference<>();
    private volatile boolean subscribed;

    PeopleListCache(JsonMapper json, MeterRegistry meters) {
        this.json = json;
        this.fromMemory = reads("memory", meters);
        this.fromDatabase = reads("database", meters);
    }

    private static Counter reads(String source, MeterRegistry meters) {
        return Counter.builder("micro_canary.people.list.reads").tag("source", source)
                .description("GET /all answered from the cached listing or by a query").register(meters);
    }

    Listing get(Supplier<List<PersonView>> query) {
        if (!subscribed) {
            fromDatabase.increment();
            return encode(query.get());
        }
        long current = generation.get();
        Entry entry = latest.get();
        if (entry != null && entry.generation() == current) {
            fromMemory.increment();
            return entry.listing();
        }
        fromDatabase.increment();
        Listing loaded = encode(query.get());
        latest.accumulateAndGet(new Entry(current, loaded),
                (kept, candidate) -> kept != null && kept.generation() > candidate.generation() ? kept : candidate);
        return loaded;
    }

    /** {@code people} changed, here or on another replica: the next read loads it again. */
    void changed() {
        generation.incrementAndGet();
    }

    /** Changes will be heard of from now on; whatever was loaded before may be stale. */
    void subscribed() {
        changed();
        subscribed = true;
    }

    /** Changes may go unheard: stop serving from the cache until {@link #subscribed()} again. */
    void unsubscribed() {
        subscribed = false;
        changed();
    }

    private Listing encode(List<PersonView> people) {
        try {
            byte[] body = json.writeValueAsBytes(PEOPLE, people);
            return new Listing(body, etagOf(body));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String etagOf(byte[] body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
            return '"' + HexFormat.of().formatHex(digest, 0, 16) + '"';
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
