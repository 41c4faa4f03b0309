package io.microcanary.commandline;

import org.junit.jupiter.api.Test;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ToolArgumentsTest {

    @Command(name = "tool", synopsisHeading = "usage: ")
    static final class Options {

        @Option(names = "--wait", converter = Durations.Positive.class, defaultValue = "5s", paramLabel = "DURATION",
                description = "how long to wait")
        Duration wait;

        @Option(names = "--count", converter = WholeNumbers.Positive.class, paramLabel = "N", description = "how many")
        int count;

        @Option(names = "--file", paramLabel = "FILE", description = "where")
        String file;

        @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help")
        boolean help;
    }

    private final Options options = new Options();
    private final ToolArguments arguments = new ToolArguments(options);

    @Test
    void fillsTheOptionsTheLastOccurrenceCounting() {
        assertTrue(arguments.parse("--count", "2", "--wait=1m", "--file", "@list", "--count", "3"));

        assertEquals(3, options.count);
        assertEquals(Duration.ofMinutes(1), options.wait);
        assertEquals("@list", options.file, "a value, not a file of arguments");
    }

    @Test
    void aBadValueNamesTheOptionWhatItExpectedAndTheValue() {
        assertEquals("--count must be a whole number above 0, was 'none'", error("--count", "none"));
        assertEquals("--wait must be a duration above zero like 500ms, 60s, 2m or 1h, was '0s'", error("--wait", "0s"));
    }

    @Test
    void anOptionWithoutAValueIsNamed() {
        assertEquals("--file needs a value", error("--file"));
        assertEquals("--file needs a value", error("--file", "--count", "2"));
    }

    @Test
    void anUnknownOptionOrArgumentIsNamed() {
        assertEquals("unknown option --colour", error("--colour", "red"));
        assertEquals("unexpected argument 'red'", error("red"));
    }

    @Test
    void helpIsAskedForNotAnError() {
        assertFalse(arguments.parse("--help"));
        assertTrue(arguments.usage().startsWith("usage: tool [-h] [--count=N] [--file=FILE] [--wait=DURATION]"),
                arguments.usage());
    }

    private String error(String... args) {
        return assertThrows(ToolArguments.UsageError.class, () -> arguments.parse(args)).getMessage();
    }
}
