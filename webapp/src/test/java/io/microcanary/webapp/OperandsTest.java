package io.microcanary.webapp;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The add form's body as browsers encode it (application/x-www-form-urlencoded, UTF-8). */
class OperandsTest {

    @Test
    void readsBothFieldsDecoded() {
        assertEquals(new Operands("2", "3"), Operands.fromForm("first=2&second=3"));
        assertEquals(new Operands(" 2", "1+1"), Operands.fromForm("second=1%2B1&first=+2"));
        assertEquals(new Operands("\"><b>é", ""), Operands.fromForm("first=%22%3E%3Cb%3E%C3%A9&second="));
    }

    @Test
    void aMissingOrMalformedFieldIsNull() {
        assertEquals(new Operands(null, null), Operands.fromForm(null));
        assertEquals(new Operands(null, null), Operands.fromForm(""));
        assertEquals(new Operands("2", null), Operands.fromForm("first=2&other=3"));
        assertEquals(new Operands(null, "3"), Operands.fromForm("first=%%%&second=3"));
    }

    @Test
    void theFirstOfARepeatedFieldCounts() {
        assertEquals(new Operands("1", "2"), Operands.fromForm("first=1&first=9&second=2"));
    }
}
