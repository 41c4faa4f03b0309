package io.microcanary.eventservice;

import io.lettuce.core.LMoveArgs;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.core.type.Argument;
import io.micronaut.serde.ObjectMapper;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Takes messages off the queue without ever losing one: each is moved atomically to the processing list, handled
 * (records stored idempotently, summaries answered, bad messages dead-lettered), and only then removed from
 * processing. Whatever a crash leaves in processing is handled again at the next start; the event ids make that
 * harmless. Redis or MongoDB being down pauses the loop; it resumes by itself.
 */
@Singleton
class QueueConsumer implements ApplicationEventListener<StartupEvent> {

    private static final String MOVE_UP_TO = """
            local moved = {}
            for i = 1, tonumber(ARGV[1]) do
              local message = redis.call('LMOVE', KEYS[1], KEYS[2], 'LEFT', 'RIGHT')
              if not message then break end
              moved[i] = message
            end
            return moved
            """;
    private static final Logger LOG = LoggerFactory.getLogger(QueueConsumer.class);
    private static final double BLOCK_SECONDS = 1.0;
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(2);

    private final RedisClient redisClient;
    private final EventStore store;
    private final QueueSettings queue;
    private final ObjectMapper json;
    private final CountDownLatch stopping = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile long handled;

    QueueConsumer(RedisClient redisClient, EventStore store, QueueSettings queue, ObjectMapper json) {
        this.redisClient = redisClient;
        this.store = store;
        this.queue = queue;
        this.json = json;
    }

    @Override
    public void onApplicationEvent(StartupEvent event) {
        Thread consumer = new Thread(this::run, "event-consumer");
        consumer.setDaemon(true);
        consumer.start();
    }

    @PreDestroy
    void stop() throws InterruptedException {
        stopping.countDown();
        stopped.await(10, TimeUnit.SECONDS);
    }

    /** Messages handled since start (for tests and logs). */
    long handled() {
        return handled;
    }

    private void run() {
        Duration backoff = Duration.ofMillis(100);
        boolean recovered = false;
        StatefulRedisConnection<String, String> connection = null;
        try {
            while (stopping.getCount() > 0) {
                try {
                    if (connection == null || !connection.isOpen()) {
                        connection = redisClient.connect();
                    }
                    RedisCommands<String, String> redis = connection.sync();
                    if (!recovered) {
                        List<String> leftovers = redis.lrange(queue.processing(), 0, -1);
                        if (!leftovers.isEmpty()) {
                            LOG.info("handling {} messages left in {}", leftovers.size(), queue.processing());
                            handle(leftovers, connection);
                        }
                        recovered = true;
                    }
                    List<String> batch = take(redis);
                    if (!batch.isEmpty()) {
                        handle(batch, connection);
                    }
                    backoff = Duration.ofMillis(100);
                } catch (RedisException | StoreWriteFailed e) {
                    // the failed batch is still in processing: handle that list again before taking anything new
                    recovered = false;
                    LOG.warn("queue paused: {}; retrying in {} ms", e.getMessage(), backoff.toMillis());
                    if (pause(backoff)) {
                        return;
                    }
                    backoff = min(backoff.multipliedBy(2), MAX_BACKOFF);
                }
            }
        } finally {
            if (connection != null) {
                connection.close();
            }
            stopped.countDown();
        }
    }

    /**
     * Waits for the first message, then moves up to a batch more in one round trip: a script runs LMOVE in Redis
     * itself, so each message is still moved atomically onto the processing list before it is handled.
     */
    private List<String> take(RedisCommands<String, String> redis) {
        List<String> batch = new ArrayList<>();
        String first = redis.blmove(queue.name(), queue.processing(), LMoveArgs.Builder.leftRight(), BLOCK_SECONDS);
        if (first == null) {
            return batch;
        }
        batch.add(first);
        List<Object> more = redis.eval(MOVE_UP_TO, ScriptOutputType.MULTI, new String[]{queue.name(), queue.processing()},
                String.valueOf(queue.batchSize() - 1));
        more.forEach(message -> batch.add((String) message));
        return batch;
    }

    /** Handles a batch in order (a summary counts every record before it), then acknowledges all of it. */
    private void handle(List<String> batch, StatefulRedisConnection<String, String> connection) {
        Instant received = Instant.now();
        List<Message.Record> pending = new ArrayList<>();
        for (String raw : batch) {
            Message message = parse(raw, received);
            if (message instanceof Message.Record record) {
                pending.add(record);
            } else if (message instanceof Message.Summary summary) {
                storeOrFail(pending);
                pending.clear();
                reply(connection.sync(), summary.returnPath());
            } else if (message instanceof Message.Invalid invalid) {
                deadLetter(connection.sync(), raw, invalid.reason());
            }
        }
        storeOrFail(pending);
        acknowledge(batch, connection);
        handled += batch.size();
    }

    private Message parse(String raw, Instant received) {
        try {
            return Message.of(raw, json.readValue(raw, Argument.mapOf(String.class, Object.class)), received);
        } catch (IOException | RuntimeException e) {
            return new Message.Invalid("not a JSON object");
        }
    }

    private void storeOrFail(List<Message.Record> records) {
        try {
            store.storeAll(records);
        } catch (RuntimeException e) {
            throw new StoreWriteFailed(e); // the batch stays in processing and is handled again
        }
    }

    private void reply(RedisCommands<String, String> redis, String returnPath) {
        try {
            redis.rpush(returnPath, json.writeValueAsString(store.counts(0)));
            redis.expire(returnPath, queue.replyTtl().toSeconds());
        } catch (IOException e) {
            throw new IllegalStateException("counts are always serialisable", e);
        } catch (RuntimeException e) {
            if (e instanceof RedisException) {
                throw e;
            }
            throw new StoreWriteFailed(e);
        }
    }

    private void deadLetter(RedisCommands<String, String> redis, String raw, String reason) {
        try {
            redis.rpush(queue.deadLetters(), json.writeValueAsString(new DeadLetter(reason, raw)));
        } catch (IOException e) {
            throw new IllegalStateException("a reason and a string are always serialisable", e);
        }
    }

    /** Removes each handled message from processing; pipelined, as a batch is hundreds of messages. */
    private void acknowledge(List<String> batch, StatefulRedisConnection<String, String> connection) {
        List<RedisFuture<Long>> acks = new ArrayList<>(batch.size());
        for (String raw : batch) {
            acks.add(connection.async().lrem(queue.processing(), 1, raw));
        }
        if (!LettuceFutures.awaitAll(Duration.ofSeconds(10), acks.toArray(new RedisFuture[0]))) {
            throw new RedisException("acknowledging " + batch.size() + " messages timed out");
        }
    }

    /** Waits, unless stopping; answers whether to stop. */
    private boolean pause(Duration duration) {
        try {
            return stopping.await(duration.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    @io.micronaut.serde.annotation.Serdeable
    record DeadLetter(String reason, String message) {
    }

    /** MongoDB did not take a write: the messages stay in processing and are tried again. */
    static final class StoreWriteFailed extends RuntimeException {
        StoreWriteFailed(Throwable cause) {
            super("event store unavailable: " + cause.getClass().getSimpleName(), cause);
        }
    }
}
