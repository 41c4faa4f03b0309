package io.microcanary.commandline;

import java.util.Optional;

/** A whole number within a range; the tools' numeric options are its subclasses (picocli instantiates them). */
public abstract class WholeNumbers extends ValueConverter<Integer> {

    private final int lowest;
    private final int highest;

    protected WholeNumbers(String expected, int lowest, int highest) {
        super(expected);
        this.lowest = lowest;
        this.highest = highest;
    }

    @Override
    protected final Optional<Integer> read(String value) {
        try {
            return Optional.of(Integer.parseInt(value)).filter(number -> number >= lowest && number <= highest);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** A count or a limit: 1 and up. */
    public static final class Positive extends WholeNumbers {
        public Positive() {
            super("a whole number above 0", 1, Integer.MAX_VALUE);
        }
    }

    /** A TCP port to listen on, where 0 asks the system for a free one. */
    public static final class Port extends WholeNumbers {
        public Port() {
            super("a port number (0 for any free port)", 0, 65535);
        }
    }
}
