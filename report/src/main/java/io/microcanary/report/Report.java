package io.microcanary.report;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCredentials;
import io.lettuce.core.RedisCredentialsProvider;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.microcanary.commandline.ToolArguments;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Asks eventservice for the URL counts the way the original did — a summary request on the queue with a return
 * list of its own — waits a bounded time for the answer and prints it as a table, most visited first.
 */
public final class Report {

    static final int OK = 0;
    static final int NO_ANSWER = 1;
    static final int USAGE = 2;

    private Report() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        ReportOptions.Arguments arguments = new ReportOptions.Arguments();
        ToolArguments commandLine = new ToolArguments(arguments);
        try {
            if (!commandLine.parse(args)) {
                out.print(commandLine.usage());
                return OK;
            }
        } catch (ToolArguments.UsageError e) {
            err.println("report: " + e.getMessage());
            err.print(commandLine.usage());
            return USAGE;
        }
        ReportOptions options = arguments.options(env);
        try {
            Map<String, Long> counts = ask(options);
            if (counts == null) {
                err.println("report: no answer from eventservice within " + seconds(options.timeout())
                        + ": is it running?");
                return NO_ANSWER;
            }
            out.print(table(counts, options.top()));
            return OK;
        } catch (RedisException e) {
            String reason = rootMessage(e);
            // Redis's own replies: NOAUTH when no password was given, WRONGPASS when it (or the user) is wrong
            if (reason.startsWith("NOAUTH")) {
                err.println("report: Redis at " + options.redisUrl() + " requires a password: set REDIS_PASSWORD");
            } else if (reason.startsWith("WRONGPASS")) {
                err.println("report: Redis at " + options.redisUrl() + " refused the password in REDIS_PASSWORD"
                        + (options.redisUsername() == null ? "" : " (user " + options.redisUsername() + ")"));
            } else {
                err.println("report: cannot reach Redis at " + options.redisUrl() + ": " + reason);
            }
            return NO_ANSWER;
        }
    }

    private static Map<String, Long> ask(ReportOptions options) {
        RedisURI uri = RedisURI.create(options.redisUrl());
        uri.setTimeout(options.timeout());
        if (options.redisPassword() != null) {
            uri.setCredentialsProvider(RedisCredentialsProvider.from(
                    () -> RedisCredentials.just(options.redisUsername(), options.redisPassword())));
        }
        RedisClient client = RedisClient.create(uri);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            String returnPath = "report:" + UUID.randomUUID();
            connection.sync().rpush("eventservice", "{\"action\":\"summary\",\"returnPath\":\"" + returnPath + "\"}");
            connection.setTimeout(options.timeout().plusSeconds(1));
            KeyValue<String, String> reply = connection.sync().blpop(options.timeout().toMillis() / 1000.0, returnPath);
            return reply == null ? null : parse(reply.getValue());
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
        }
    }

    static Map<String, Long> parse(String json) {
        try {
            return new ObjectMapper().readValue(json, new TypeReference<LinkedHashMap<String, Long>>() { });
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("eventservice answered something that is not a URL count: " + json, e);
        }
    }

    /** The counts, most visited first (then by URL), as two aligned columns. */
    static String table(Map<String, Long> counts, int top) {
        List<Map.Entry<String, Long>> rows = new ArrayList<>(counts.entrySet());
        rows.sort(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
        if (top > 0 && rows.size() > top) {
            rows = rows.subList(0, top);
        }
        int width = Math.max("url".length(), rows.stream().mapToInt(r -> r.getKey().length()).max().orElse(0));
        StringBuilder table = new StringBuilder(String.format("%-" + width + "s  %s%n", "url", "count"));
        rows.forEach(row -> table.append(String.format("%-" + width + "s  %5d%n", row.getKey(), row.getValue())));
        if (rows.isEmpty()) {
            table.append("(no events yet)").append(System.lineSeparator());
        }
        return table.toString();
    }

    private static String seconds(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + "s" : duration.toMillis() + "ms";
    }

    /** The innermost cause's message, or its kind when it has none (a connect timeout may carry no text). */
    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
    }
}
