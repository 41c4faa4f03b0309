package io.microcanary.webapp;

import io.microcanary.support.web.FormFields;
import io.micronaut.core.annotation.Nullable;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The add form as typed ({@code first}, {@code second}; the first of a repeated field; null when absent or not valid
 * URL encoding), read from the form body by the route ({@link FormFields} says why).
 */
record Operands(@Nullable String first, @Nullable String second) {

    static Operands fromForm(@Nullable String body) {
        FormFields form = FormFields.parse(body, StandardCharsets.UTF_8);
        return new Operands(firstOf(form, "first"), firstOf(form, "second"));
    }

    private static String firstOf(FormFields form, String name) {
        try {
            List<String> values = form.values(name);
            return values.isEmpty() ? null : values.get(0);
        } catch (IllegalArgumentException malformed) {
            return null;
        }
    }
}
