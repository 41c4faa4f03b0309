package io.microcanary.eventservice;

import io.lettuce.core.LMoveArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.microcanary.support.background.BackgroundLoop;
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
    private static final String REMOVE_EACH = """
            for i = 1, #ARGV do
              redis.call('LREM', KEYS[1], 1, ARGV[i])
            end
            return #ARGV
            """;
    /**
     * After a batch that did not fill up, the consumer waits this long before taking the next: under load a round
     * (two Redis round trips, a MongoDB write, the acknowledgement) then carries tens of events instead of a few.
     */
    private static final Duration GATHER = Duration.ofMillis(10);
    private static final Logger LOG = LoggerFactory.getLogger(QueueConsumer.class);
    private static final double BLOCK_SECONDS = 1.0;
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(2);
    /** Long enough for a batch in progress to be stored and acknowledged rather than handled again next start. */
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    private final RedisClient redisClient;
    private final EventStore store;
    private final QueueSettings queue;
    private final ObjectMapper json;
    private final BackgroundLoop consumer;
    private volatile long handled;
    // the consumer thread's own
    private StatefulRedisConnection<String, String> connection;
    private boolean recovered;

    QueueConsumer(RedisClient redisClient, EventStore store, QueueSettings queue, ObjectMapper json) {
        this.redisClient = redisClient;
        this.store = store;
        this.queue = queue;
        this.json = json;
        this.consumer = BackgroundLoop.named("event-consumer")
                .backingOff(FIRST_BACKOFF, MAX_BACKOFF)
                .reportingFailuresTo(this::paused)
                .onExit(this::closeConnection)
                .joinWithin(STOP_TIMEOUT)
                .running(this::consumeOnce);
    }

    @Override
    public void onApplicationEvent(StartupEvent event) {
        consumer.start();
    }

    @PreDestroy
    void stop() throws InterruptedException {
        consumer.stop();
    }

    /** Messages handled since start (for tests and logs). */
    long handled() {
        return handled;
    }

    /** One round: first whatever is left in processing (after a start or a failure), then the next batch. */
    private void consumeOnce() {
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
            if (batch.size() < queue.batchSize()) {
                consumer.pause(GATHER);
            }
        }
    }

    /** Redis or MongoDB failed a round: the failed batch is still in processing, so that list is handled again first. */
    private void paused(Exception failure, Duration retryIn) {
        recovered = false;
        LOG.warn("queue paused: {}; retrying in {} ms", failure.getMessage(), retryIn.toMillis());
    }

    private void closeConnection() {
        if (connection != null) {
            connection.close();
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

    /** Removes each handled message from processing, all in one script: one command, not one per message. */
    private void acknowledge(List<String> batch, StatefulRedisConnection<String, String> connection) {
        connection.sync().eval(REMOVE_EACH, ScriptOutputType.INTEGER, new String[]{queue.processing()},
                batch.toArray(new String[0]));
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
