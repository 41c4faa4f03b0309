package io.microcanary.commandline;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class WholeNumbersTest {

    @Test
    void aPortIsZeroToTheHighestTcpPort() {
        WholeNumbers port = new WholeNumbers.Port();
        assertEquals(0, port.convert("0"));
        assertEquals(65535, port.convert(" 65535 "));
        assertEquals("'65536' is not a port number (0 for any free port)",
                assertThrows(ValueConverter.InvalidValue.class, () -> port.convert("65536")).getMessage());
        assertThrows(ValueConverter.InvalidValue.class, () -> port.convert("-1"));
    }

    @Test
    void aPositiveNumberStartsAtOneAndIsWhole() {
        WholeNumbers positive = new WholeNumbers.Positive();
        assertEquals(1, positive.convert("1"));
        assertEquals(Integer.MAX_VALUE, positive.convert(String.valueOf(Integer.MAX_VALUE)));
        for (String bad : new String[] {"0", "-3", "2.5", "ten", "", "99999999999"}) {
            assertEquals("'" + bad + "' is not a whole number above 0",
                    assertThrows(ValueConverter.InvalidValue.class, () -> positive.convert(bad)).getMessage());
        }
    }
}
