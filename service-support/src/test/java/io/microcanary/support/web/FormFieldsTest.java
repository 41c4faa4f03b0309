package io.microcanary.support.web;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Form bodies as browsers and curl encode them. */
class FormFieldsTest {

    @Test
    void decodesNamesAndValuesInOrder() {
        FormFields form = FormFields.parse("first=+2&second=1%2B1&note=%22%3E%3Cb%3E%C3%A9&first=9&fla%67", StandardCharsets.UTF_8);

        assertEquals(List.of(" 2", "9"), form.values("first"));
        assertEquals(List.of("1+1"), form.values("second"));
        assertEquals(List.of("\"><b>é"), form.values("note"));
        assertEquals(List.of(""), form.values("flag"), "a name without '=' is an empty value");
        assertEquals(List.of(), form.values("absent"));
    }

    @Test
    void anEmptyOrMissingBodyHasNoFields() {
        assertEquals(List.of(), FormFields.parse(null, StandardCharsets.UTF_8).values("first"));
        assertEquals(List.of(), FormFields.parse("", StandardCharsets.UTF_8).values(""));
    }

    @Test
    void aBrokenEscapeSpoilsOnlyItsOwnField() {
        FormFields form = FormFields.parse("first=%%%&second=3&%zz=4", StandardCharsets.UTF_8);

        assertThrows(IllegalArgumentException.class, () -> form.values("first"));
        assertEquals(List.of("3"), form.values("second"));
        assertEquals(List.of("4"), form.values("%zz"), "an undecodable name is kept as written");
    }

    @Test
    void theDeclaredCharsetDecodes() {
        assertEquals(List.of("é"), FormFields.parse("name=%E9", StandardCharsets.ISO_8859_1).values("name"));
    }
}
