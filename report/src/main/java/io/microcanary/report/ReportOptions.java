package io.microcanary.report;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * The command line: where Redis is, how many URLs to show, how long to wait for eventservice. The password comes
 * from the environment only ({@code REDIS_PASSWORD}, as the services read it), never from an argument that
 * {@code ps} and shell histories show.
 */
record ReportOptions(String redisUrl, String redisUsername, String redisPassword, int top, Duration timeout) {

    static final String USAGE = """
            usage: report [--redis-url URL] [--top N] [--timeout DURATION]
              --redis-url  Redis that eventservice reads (default $REDIS_URL, else redis://localhost:6379)
              --top        show only the N most visited URLs (default: all)
              --timeout    how long to wait for eventservice's answer, e.g. 5s or 500ms (default 5s)
            environment: REDIS_PASSWORD (and REDIS_USERNAME) for a Redis that requires a login""";

    static ReportOptions parse(String[] args, Map<String, String> env) {
        String redisUrl = env.getOrDefault("REDIS_URL", "redis://localhost:6379");
        int top = 0;
        Duration timeout = Duration.ofSeconds(5);
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (option.equals("-h") || option.equals("--help")) {
                throw new UsageException(null);
            }
            if (i + 1 >= args.length) {
                throw new UsageException(option + " needs a value");
            }
            String value = args[++i];
            switch (option) {
                case "--redis-url" -> redisUrl = value;
                case "--top" -> top = positive(option, value);
                case "--timeout" -> timeout = duration(option, value);
                default -> throw new UsageException("unknown option " + option);
            }
        }
        return new ReportOptions(redisUrl, blankToNull(env.get("REDIS_USERNAME")), blankToNull(env.get("REDIS_PASSWORD")),
                top, timeout);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private static int positive(String option, String value) {
        try {
            int number = Integer.parseInt(value);
            if (number > 0) {
                return number;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new UsageException(option + " must be a whole number above 0, was '" + value + "'");
    }

    private static Duration duration(String option, String value) {
        try {
            Duration duration = value.endsWith("ms") ? Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)))
                    : value.endsWith("s") ? Duration.ofSeconds(Long.parseLong(value.substring(0, value.length() - 1)))
                    : Duration.parse(value);
            if (!duration.isNegative() && !duration.isZero()) {
                return duration;
            }
        } catch (NumberFormatException | DateTimeParseException ignored) {
            // reported below
        }
        throw new UsageException(option + " must be a duration such as 5s or 500ms, was '" + value + "'");
    }

    /** A usage error: exit 2 with the message (or just the usage, for --help, which exits 0). */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }
}
