package io.microcanary.support.web;

import java.net.URLDecoder;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An {@code application/x-www-form-urlencoded} body, read by the route that needs it rather than bound by the server:
 * the server's binding turns a form into a map, the map into a JSON tree and the tree into the record, and Netty's
 * form decoder throws an exception (stack trace and all) to say it reached the end of every body. Measured on the
 * form routes (addressbook's {@code PUT /person}, webapp's {@code POST /add/calculate}): a fifth of a request's CPU.
 * Values are decoded when asked for, so a broken escape in one field does not spoil the others.
 */
public final class FormFields {

    private final Map<String, List<String>> encodedValues;
    private final Charset charset;

    private FormFields(Map<String, List<String>> encodedValues, Charset charset) {
        this.encodedValues = encodedValues;
        this.charset = charset;
    }

    /** The fields of {@code body} (null or empty: none), names decoded with {@code charset}. */
    public static FormFields parse(String body, Charset charset) {
        Map<String, List<String>> fields = new HashMap<>();
        if (body != null && !body.isEmpty()) {
            for (String pair : body.split("&")) {
                int equals = pair.indexOf('=');
                String name = equals < 0 ? pair : pair.substring(0, equals);
                String value = equals < 0 ? "" : pair.substring(equals + 1);
                fields.computeIfAbsent(nameOf(name, charset), any -> new ArrayList<>(1)).add(value);
            }
        }
        return new FormFields(fields, charset);
    }

    /**
     * Every value given for {@code name}, decoded, in the body's order; empty when it was not given.
     *
     * @throws IllegalArgumentException when one is not valid URL encoding (a broken escape such as {@code %%})
     */
    public List<String> values(String name) {
        return encodedValues.getOrDefault(name, List.of()).stream()
                .map(value -> URLDecoder.decode(value, charset)).toList();
    }

    private static String nameOf(String encoded, Charset charset) {
        try {
            return URLDecoder.decode(encoded, charset);
        } catch (IllegalArgumentException e) {
            return encoded; // matches no field a route asks for, as an unknown name
        }
    }
}
