package io.microcanary.commandline;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one duration grammar of the command-line tools: as kubectl writes them, {@code 500ms}, {@code 60s}, {@code 2m},
 * {@code 1h}; ISO-8601 as {@link Duration#parse} reads it ({@code PT1M30S}) is accepted too. Never negative;
 * {@link Positive} for an option where zero makes no sense (a wait that would never end).
 */
public class Durations extends ValueConverter<Duration> {

    private static final String EXAMPLES = "like 500ms, 60s, 2m or 1h";
    private static final Pattern SHORT_FORM = Pattern.compile("(\\d+)(ms|s|m|h)");

    public Durations() {
        this("a duration " + EXAMPLES);
    }

    Durations(String expected) {
        super(expected);
    }

    @Override
    protected Optional<Duration> read(String value) {
        return parse(value).filter(duration -> !duration.isNegative());
    }

    private static Optional<Duration> parse(String value) {
        Matcher matcher = SHORT_FORM.matcher(value);
        try {
            if (!matcher.matches()) {
                return Optional.of(Duration.parse(value));
            }
            long amount = Long.parseLong(matcher.group(1));
            return Optional.of(switch (matcher.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                default -> Duration.ofHours(amount);
            });
        } catch (DateTimeParseException | NumberFormatException | ArithmeticException e) { // or too many digits
            return Optional.empty();
        }
    }

    /** Durations above zero. */
    public static final class Positive extends Durations {

        public Positive() {
            super("a duration above zero " + EXAMPLES);
        }

        @Override
        protected Optional<Duration> read(String value) {
            return super.read(value).filter(duration -> !duration.isZero());
        }
    }
}
