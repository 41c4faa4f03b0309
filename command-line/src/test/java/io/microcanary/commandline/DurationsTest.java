package io.microcanary.commandline;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DurationsTest {

    private final Durations durations = new Durations();

    @Test
    void readsDurationsAsKubectlWritesThem() {
        assertEquals(Duration.ofMillis(500), durations.convert("500ms"));
        assertEquals(Duration.ofSeconds(60), durations.convert("60s"));
        assertEquals(Duration.ofMinutes(2), durations.convert("2m"));
        assertEquals(Duration.ofHours(1), durations.convert(" 1h "));
        assertEquals(Duration.ZERO, durations.convert("0s"));
    }

    @Test
    void readsIsoDurationsToo() {
        assertEquals(Duration.ofSeconds(90), durations.convert("PT1M30S"));
    }

    @Test
    void rejectsWhatIsNotADurationSayingWhatIs() {
        for (String value : new String[] {"soon", "5", "1.5s", "-5s", "-PT5S", "5d", "", "99999999999999999999s"}) {
            CommandLine.TypeConversionException error = assertThrows(CommandLine.TypeConversionException.class,
                    () -> durations.convert(value), value);
            assertEquals("'" + value + "' is not a duration like 500ms, 60s, 2m or 1h", error.getMessage());
        }
    }

    @Test
    void positiveDurationsRejectZero() {
        Durations positive = new Durations.Positive();

        assertEquals(Duration.ofMillis(1), positive.convert("1ms"));
        CommandLine.TypeConversionException error = assertThrows(CommandLine.TypeConversionException.class,
                () -> positive.convert("0s"));
        assertEquals("'0s' is not a duration above zero like 500ms, 60s, 2m or 1h", error.getMessage());
    }
}
