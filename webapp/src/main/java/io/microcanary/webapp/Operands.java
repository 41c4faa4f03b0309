package io.microcanary.webapp;

import io.micronaut.core.annotation.Nullable;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * The add form as typed ({@code first}, {@code second}; null when absent or not valid URL encoding), read from the
 * form body here rather than bound by the server: the server's form decoder throws an exception to say it reached
 * the end of every body, a stack trace per calculation.
 */
record Operands(@Nullable String first, @Nullable String second) {

    static Operands fromForm(@Nullable String body) {
        String first = null;
        String second = null;
        if (body != null) {
            for (String field : body.split("&")) {
                int equals = field.indexOf('=');
                String name = equals < 0 ? field : field.substring(0, equals);
                String value = equals < 0 ? "" : field.substring(equals + 1);
                if (name.equals("first") && first == null) {
                    first = decoded(value);
                } else if (name.equals("second") && second == null) {
                    second = decoded(value);
                }
            }
        }
        return new Operands(first, second);
    }

    private static String decoded(String value) {
        try {
            return URLDecoder.decode(value, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            return null;
        }
    }
}
