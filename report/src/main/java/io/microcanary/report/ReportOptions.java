package io.microcanary.report;

import io.microcanary.commandline.Durations;
import io.microcanary.commandline.WholeNumbers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.Map;

/**
 * What the report was asked for: where Redis is, how many URLs to show, how long to wait for eventservice. The
 * password comes from the environment only ({@code REDIS_PASSWORD}, as the services read it), never from an argument
 * that {@code ps} and shell histories show.
 */
record ReportOptions(String redisUrl, String redisUsername, String redisPassword, int top, Duration timeout) {

    /** The command line; {@link #options} adds what the environment says. */
    @Command(name = "report", synopsisHeading = "usage: ", sortOptions = false, sortSynopsis = false,
            footer = {"environment: REDIS_PASSWORD (and REDIS_USERNAME) for a Redis that requires a login",
                    "exit codes: 0 printed, 1 no answer from eventservice or Redis unreachable, 2 usage"})
    static final class Arguments {

        @Option(names = "--redis-url", paramLabel = "URL",
                description = "Redis that eventservice reads (default $REDIS_URL, else redis://localhost:6379)")
        String redisUrl;

        @Option(names = "--top", paramLabel = "N", converter = WholeNumbers.Positive.class,
                description = "show only the N most visited URLs (default: all)")
        int top;

        @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "5s", converter = Durations.Positive.class,
                description = "how long to wait for eventservice's answer, e.g. 5s or 500ms (default ${DEFAULT-VALUE})")
        Duration timeout;

        @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help")
        boolean help;

        ReportOptions options(Map<String, String> env) {
            String url = redisUrl != null ? redisUrl : env.getOrDefault("REDIS_URL", "redis://localhost:6379");
            return new ReportOptions(url, blankToNull(env.get("REDIS_USERNAME")), blankToNull(env.get("REDIS_PASSWORD")),
                    top, timeout);
        }

        private static String blankToNull(String value) {
            return value == null || value.isBlank() ? null : value;
        }
    }
}
