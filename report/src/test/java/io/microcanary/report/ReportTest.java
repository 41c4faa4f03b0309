package io.microcanary.report;

import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCredentials;
import io.lettuce.core.RedisCredentialsProvider;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.microcanary.localstores.StoreKind;
import io.microcanary.localstores.StoreServer;
import io.microcanary.localstores.Stores;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReportTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(Map<String, String> env, String... args) {
        return Report.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void printsTheCountsMostVisitedFirstAsEventserviceAnswersThem() throws Exception {
        try (StoreServer redis = Stores.start(StoreKind.REDIS)) {
            CompletableFuture<String> request = answerOneSummary(redis.url(), "{\"/audit\":1,\"/add\":7,\"/\":3}");

            int exit = run(Map.of("REDIS_URL", redis.url()));

            assertEquals(0, exit, err::toString);
            assertEquals("url     count\n/add        7\n/           3\n/audit      1\n", out.toString(StandardCharsets.UTF_8));
            assertTrue(request.get().matches("\\{\"action\":\"summary\",\"returnPath\":\"report:[0-9a-f-]{36}\"}"), request.get());
        }
    }

    @Test
    void topLimitsTheRows() throws Exception {
        try (StoreServer redis = Stores.start(StoreKind.REDIS)) {
            answerOneSummary(redis.url(), "{\"/a\":1,\"/b\":2,\"/c\":3}");

            assertEquals(0, run(Map.of(), "--redis-url", redis.url(), "--top", "2"));
            assertEquals("url  count\n/c       3\n/b       2\n", out.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    void noAnswerWithinTheTimeoutIsAClearMessageAndExitOne() {
        try (StoreServer redis = Stores.start(StoreKind.REDIS)) {
            // the JVM's first Redis client loads its classes, seconds on a busy machine: time the wait, not that
            run(Map.of(), "--redis-url", redis.url(), "--timeout", "100ms");
            err.reset();
            long started = System.nanoTime();
            int exit = run(Map.of(), "--redis-url", redis.url(), "--timeout", "1s");
            long millis = (System.nanoTime() - started) / 1_000_000;

            assertEquals(1, exit);
            assertEquals("report: no answer from eventservice within 1s: is it running?\n", err.toString(StandardCharsets.UTF_8));
            assertTrue(millis < 3_000, "gave up after " + millis + " ms");
        }
    }

    @Test
    void anUnreachableRedisIsExitOne() {
        int exit = run(Map.of(), "--redis-url", "redis://127.0.0.1:" + Stores.freePort(), "--timeout", "1s");

        assertEquals(1, exit);
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("report: cannot reach Redis at redis://127.0.0.1:"), err::toString);
    }

    /** A server that takes the connection and never answers: the timeout's failure may carry no message at all. */
    @Test
    void aRedisThatNeverAnswersIsAClearMessageAndExitOne() throws Exception {
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0)) {
            int exit = run(Map.of(), "--redis-url", "redis://127.0.0.1:" + silent.getLocalPort(), "--timeout", "100ms");

            assertEquals(1, exit);
            String printed = err.toString(StandardCharsets.UTF_8);
            assertTrue(printed.startsWith("report: ") && !printed.contains("null"), printed);
        }
    }

    @Test
    void readsThePasswordFromTheEnvironmentForARedisThatRequiresOne() throws Exception {
        try (StoreServer redis = Stores.redisRequiringPassword("report-secret")) {
            CompletableFuture<String> request = answerOneSummary(redis.url(), "report-secret", "{\"/\":2}");

            int exit = run(Map.of("REDIS_URL", redis.url(), "REDIS_PASSWORD", "report-secret"));

            assertEquals(0, exit, err::toString);
            assertEquals("url  count\n/        2\n", out.toString(StandardCharsets.UTF_8));
            assertTrue(request.get().startsWith("{\"action\":\"summary\""), request.get());
        }
    }

    @Test
    void aWrongOrMissingPasswordIsAClearMessageAndExitOne() {
        try (StoreServer redis = Stores.redisRequiringPassword("report-secret")) {
            assertEquals(1, run(Map.of("REDIS_PASSWORD", "wrong"), "--redis-url", redis.url(), "--timeout", "1s"));
            assertEquals("report: Redis at " + redis.url() + " refused the password in REDIS_PASSWORD\n",
                    err.toString(StandardCharsets.UTF_8));
            err.reset();

            assertEquals(1, run(Map.of(), "--redis-url", redis.url(), "--timeout", "1s"));
            assertEquals("report: Redis at " + redis.url() + " requires a password: set REDIS_PASSWORD\n",
                    err.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    void usageErrorsAreExitTwoNamingTheOption() {
        assertEquals(2, run(Map.of(), "--top", "none"));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("report: --top must be a whole number above 0, was 'none'\nusage: report"));
        assertEquals(2, run(Map.of(), "--colour", "red"));
        assertEquals(0, run(Map.of(), "--help"));
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("usage: report"));
    }

    @Test
    void anEmptySummarySaysSo() {
        assertEquals("url  count\n(no events yet)\n", Report.table(new LinkedHashMap<>(), 0));
    }

    /** Plays eventservice for one summary request: pops it and answers on its return list; gives back the request. */
    private static CompletableFuture<String> answerOneSummary(String redisUrl, String counts) {
        return answerOneSummary(redisUrl, null, counts);
    }

    /** As eventservice would, logging in with {@code password} when not null. */
    private static CompletableFuture<String> answerOneSummary(String redisUrl, String password, String counts) {
        return CompletableFuture.supplyAsync(() -> {
            RedisURI uri = RedisURI.create(redisUrl);
            if (password != null) {
                uri.setCredentialsProvider(RedisCredentialsProvider.from(() -> RedisCredentials.just(null, password)));
            }
            RedisClient client = RedisClient.create(uri);
            try (StatefulRedisConnection<String, String> connection = client.connect()) {
                KeyValue<String, String> request = connection.sync().blpop(10, "eventservice");
                String returnPath = request.getValue().replaceAll(".*\"returnPath\":\"([^\"]+)\".*", "$1");
                connection.sync().rpush(returnPath, counts);
                return request.getValue();
            } finally {
                client.shutdown();
            }
        });
    }
}
