package io.microcanary.support.events;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.microcanary.support.background.BackgroundLoop;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Requires;
import io.micronaut.json.JsonMapper;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Publishes page events to the queue without ever delaying or failing the request that caused them: events go
 * into a bounded buffer that one background thread pushes to Redis in order. While Redis is away they wait there
 * and are flushed on its return; when the buffer is full a new event is dropped, counted and logged (at most once
 * per interval). The service that publishes {@link #start()}s the pushing once it is up (a bean of its own, so that
 * services with Redis that publish nothing run no publisher); it stops with the application context.
 */
@Singleton
@Requires(beans = RedisClient.class)
public final class EventPublisher {

    private static final Logger LOG = LoggerFactory.getLogger(EventPublisher.class);
    private static final int PUSH_BATCH = 500;
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(2);
    /** After a push that did not fill a batch, the flusher waits this long: one wake-up of Redis per many events. */
    private static final Duration GATHER = Duration.ofMillis(10);

    private final RedisClient redis;
    private final EventSettings settings;
    private final JsonMapper json;
    private final Clock clock = Clock.systemUTC();
    private final Deque<PageEvent> buffer = new ArrayDeque<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Counter dropped;
    private final AtomicLong droppedSinceLog = new AtomicLong();
    private volatile Instant lastDropLog = Instant.EPOCH;
    private final BackgroundLoop flusher;
    private StatefulRedisConnection<String, String> connection; // the flusher's own

    EventPublisher(RedisClient redis, EventSettings settings, MeterRegistry meters, JsonMapper json) {
        this.redis = redis;
        this.settings = settings;
        this.json = json;
        this.dropped = Counter.builder("micro_canary.events.dropped")
                .description("page events dropped because the buffer was full while Redis was unavailable")
                .register(meters);
        meters.gauge("micro_canary.events.buffered", buffer, Deque::size);
        // a push that fails leaves its events at the head of the buffer, in order, until Redis takes them
        this.flusher = BackgroundLoop.named("event-publisher")
                .backingOff(Duration.ofMillis(50), MAX_BACKOFF)
                .reportingFailuresTo((failure, retryIn) -> { }) // the buffer's gauge and the drop count tell
                .wakingWith(this::wakeFlusher)
                .onExit(this::closeConnection)
                .running(this::pushOldest);
    }

    /** Starts pushing what is buffered and what comes; once, from the application's start-up, not a constructor. */
    public void start() {
        flusher.start();
    }

    @PreDestroy
    void stop() throws InterruptedException {
        flusher.stop();
    }

    /** Queues a page event for {@code url}; returns at once, whatever state Redis is in. */
    public void pageView(String url) {
        PageEvent event = PageEvent.viewOf(url, UUID.randomUUID(), clock.instant()); // encoded by the flusher
        lock.lock();
        try {
            if (buffer.size() >= settings.bufferSize()) {
                dropped.increment();
                droppedSinceLog.incrementAndGet();
            } else {
                buffer.addLast(event);
                changed.signal();
            }
        } finally {
            lock.unlock();
        }
        logDropsAtMostOncePerInterval();
    }

    /** Events waiting to be pushed. */
    public int buffered() {
        lock.lock();
        try {
            return buffer.size();
        } finally {
            lock.unlock();
        }
    }

    public long droppedTotal() {
        return (long) dropped.count();
    }

    /** One round of the flusher: pushes the oldest events, at most a batch, and only then lets them go. */
    private void pushOldest() throws InterruptedException {
        List<PageEvent> batch = takeBatch();
        if (batch.isEmpty()) {
            return;
        }
        String[] messages = batch.stream().map(this::encode).toArray(String[]::new);
        if (connection == null || !connection.isOpen()) {
            connection = redis.connect();
        }
        connection.sync().rpush(settings.queue(), messages);
        remove(batch.size());
        if (batch.size() < PUSH_BATCH) {
            flusher.pause(GATHER); // under load the next push then carries tens of events, not one or two
        }
    }

    /** The oldest events, left in the buffer until pushed; waits up to a second for some to arrive. */
    private List<PageEvent> takeBatch() throws InterruptedException {
        lock.lock();
        try {
            if (buffer.isEmpty() && !flusher.stopping()) {
                changed.await(1, TimeUnit.SECONDS);
            }
            List<PageEvent> batch = new ArrayList<>(Math.min(PUSH_BATCH, buffer.size()));
            for (PageEvent event : buffer) {
                if (batch.size() == PUSH_BATCH) {
                    break;
                }
                batch.add(event);
            }
            return batch;
        } finally {
            lock.unlock();
        }
    }

    private void remove(int count) {
        lock.lock();
        try {
            for (int i = 0; i < count; i++) {
                buffer.pollFirst();
            }
        } finally {
            lock.unlock();
        }
    }

    private void logDropsAtMostOncePerInterval() {
        Instant now = clock.instant();
        if (droppedSinceLog.get() > 0 && now.isAfter(lastDropLog.plus(settings.logInterval()))) {
            lastDropLog = now;
            LOG.warn("dropped {} page events: the buffer of {} is full while Redis is unavailable",
                    droppedSinceLog.getAndSet(0), settings.bufferSize());
        }
    }

    private void wakeFlusher() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void closeConnection() {
        if (connection != null) {
            connection.close();
        }
    }

    private String encode(PageEvent event) {
        try {
            return json.writeValueAsString(event);
        } catch (IOException e) {
            throw new IllegalStateException("a page event is always serialisable", e);
        }
    }
}
