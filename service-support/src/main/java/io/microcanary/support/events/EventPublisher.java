package io.microcanary.support.events;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * per interval).
 */
@Singleton
@Requires(beans = RedisClient.class)
public final class EventPublisher {

    private static final Logger LOG = LoggerFactory.getLogger(EventPublisher.class);
    private static final int PUSH_BATCH = 500;
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(2);

    private final RedisClient redis;
    private final EventSettings settings;
    private final Clock clock = Clock.systemUTC();
    private final Deque<String> buffer = new ArrayDeque<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Counter dropped;
    private final AtomicLong droppedSinceLog = new AtomicLong();
    private volatile Instant lastDropLog = Instant.EPOCH;
    private volatile boolean running = true;
    private final Thread flusher;

    EventPublisher(RedisClient redis, EventSettings settings, MeterRegistry meters) {
        this.redis = redis;
        this.settings = settings;
        this.dropped = Counter.builder("micro_canary.events.dropped")
                .description("page events dropped because the buffer was full while Redis was unavailable")
                .register(meters);
        meters.gauge("micro_canary.events.buffered", buffer, Deque::size);
        this.flusher = new Thread(this::flushForever, "event-publisher");
        this.flusher.setDaemon(true);
        this.flusher.start();
    }

    /** Queues a page event for {@code url}; returns at once, whatever state Redis is in. */
    public void pageView(String url) {
        String event = "{\"action\":\"record\",\"type\":\"page\",\"url\":\"" + jsonEscape(url) + "\",\"id\":\""
                + UUID.randomUUID() + "\",\"ts\":\"" + clock.instant() + "\"}";
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

    private void flushForever() {
        Duration backoff = Duration.ofMillis(50);
        StatefulRedisConnection<String, String> connection = null;
        while (running) {
            List<String> batch = takeBatch();
            if (batch.isEmpty()) {
                continue;
            }
            try {
                if (connection == null || !connection.isOpen()) {
                    connection = redis.connect();
                }
                connection.sync().rpush(settings.queue(), batch.toArray(new String[0]));
                remove(batch.size());
                backoff = Duration.ofMillis(50);
            } catch (RedisException e) {
                // the events stay at the head of the buffer, in order, until Redis takes them
                waitFor(backoff);
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
        if (connection != null) {
            connection.close();
        }
    }

    /** The oldest events, left in the buffer until pushed; waits up to a second for some to arrive. */
    private List<String> takeBatch() {
        lock.lock();
        try {
            if (buffer.isEmpty()) {
                changed.await(1, TimeUnit.SECONDS);
            }
            List<String> batch = new ArrayList<>(Math.min(PUSH_BATCH, buffer.size()));
            for (String event : buffer) {
                if (batch.size() == PUSH_BATCH) {
                    break;
                }
                batch.add(event);
            }
            return batch;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
            return List.of();
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

    private void waitFor(Duration duration) {
        lock.lock();
        try {
            changed.await(duration.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
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

    @PreDestroy
    void stop() throws InterruptedException {
        running = false;
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        flusher.join(TimeUnit.SECONDS.toMillis(5));
    }

    private static String jsonEscape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
