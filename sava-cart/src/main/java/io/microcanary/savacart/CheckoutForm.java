package io.microcanary.savacart;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/** What the checkout form posts; {@link #problems()} says what to fix, per field, in the form's own words. */
@Serdeable
record CheckoutForm(@Nullable String name, @Nullable String email, @Nullable String address) {

    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
    private static final int MAX_LENGTH = 200;

    static final CheckoutForm EMPTY = new CheckoutForm("", "", "");

    Map<String, String> problems() {
        Map<String, String> problems = new LinkedHashMap<>();
        check(problems, "name", name, "Please tell us your name.");
        check(problems, "email", email, "Please give an email address.");
        if (!problems.containsKey("email") && !EMAIL.matcher(email.strip()).matches()) {
            problems.put("email", "That does not look like an email address.");
        }
        check(problems, "address", address, "Please give a delivery address.");
        return problems;
    }

    private static void check(Map<String, String> problems, String field, String value, String missing) {
        if (value == null || value.isBlank()) {
            problems.put(field, missing);
        } else if (value.length() > MAX_LENGTH) {
            problems.put(field, "Please keep this under " + MAX_LENGTH + " characters.");
        }
    }
}
