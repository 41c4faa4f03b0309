package io.microcanary.deployer.analysis;

import java.util.LinkedHashMap;
import java.util.Map;

/** One sample line of the Prometheus text format: {@code name{label="value",...} 12.0 [timestamp]}. */
record PrometheusSample(String name, Map<String, String> labels, double value) {

    /** The sample on {@code line}, or {@code null} for comments, blank and unreadable lines. */
    static PrometheusSample parse(String line) {
        String text = line.strip();
        if (text.isEmpty() || text.startsWith("#")) {
            return null;
        }
        int brace = text.indexOf('{');
        int space = text.indexOf(' ');
        if (space < 0) {
            return null;
        }
        Map<String, String> labels = new LinkedHashMap<>();
        String name;
        String rest;
        if (brace >= 0 && brace < space) {
            name = text.substring(0, brace);
            int end = parseLabels(text, brace + 1, labels);
            if (end < 0) {
                return null;
            }
            rest = text.substring(end + 1).strip();
        } else {
            name = text.substring(0, space);
            rest = text.substring(space + 1).strip();
        }
        String[] valueAndTimestamp = rest.split("\\s+");
        try {
            return new PrometheusSample(name, labels, number(valueAndTimestamp[0]));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static double number(String text) {
        return switch (text) {
            case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(text);
        };
    }

    /** Reads {@code a="x",b="y"} up to the closing brace; returns its index, or -1 when malformed. */
    private static int parseLabels(String text, int from, Map<String, String> labels) {
        int i = from;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '}') {
                return i;
            }
            if (c == ',' || c == ' ') {
                i++;
                continue;
            }
            int equals = text.indexOf('=', i);
            if (equals < 0 || equals + 1 >= text.length() || text.charAt(equals + 1) != '"') {
                return -1;
            }
            String key = text.substring(i, equals).strip();
            StringBuilder value = new StringBuilder();
            int j = equals + 2;
            while (j < text.length() && text.charAt(j) != '"') {
                char v = text.charAt(j);
                if (v == '\\' && j + 1 < text.length()) {
                    char escaped = text.charAt(++j);
                    value.append(escaped == 'n' ? '\n' : escaped);
                } else {
                    value.append(v);
                }
                j++;
            }
            if (j >= text.length()) {
                return -1;
            }
            labels.put(key, value.toString());
            i = j + 1;
        }
        return -1;
    }
}
