package io.microcanary.commandline;

import picocli.CommandLine;

import java.util.Optional;

/**
 * A picocli converter that knows what it expects, so a bad value can be reported either way the tools word it:
 * picocli's own {@code Invalid value for option '--window': 'soon' is not a duration like ...} (canary), or
 * {@code --top must be a whole number above 0, was 'none'} ({@link ToolArguments}: report, dev-stack).
 */
public abstract class ValueConverter<T> implements CommandLine.ITypeConverter<T> {

    private final String expected;

    /** @param expected what a good value is, e.g. {@code a whole number above 0} */
    protected ValueConverter(String expected) {
        this.expected = expected;
    }

    @Override
    public final T convert(String value) {
        return read(value.strip()).orElseThrow(() -> new InvalidValue(value, expected));
    }

    /** The value, or empty when it is not one this converter accepts. */
    protected abstract Optional<T> read(String value);

    /** A value the converter does not accept, and what it expected instead. */
    public static final class InvalidValue extends CommandLine.TypeConversionException {

        private final String value;
        private final String expected;

        InvalidValue(String value, String expected) {
            super("'" + value + "' is not " + expected);
            this.value = value;
            this.expected = expected;
        }

        public String value() {
            return value;
        }

        public String expected() {
            return expected;
        }
    }
}
