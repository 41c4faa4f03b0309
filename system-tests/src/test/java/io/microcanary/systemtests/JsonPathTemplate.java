package io.microcanary.systemtests;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * kubectl's {@code -o jsonpath=} for plain paths: {@code {.items[0].metadata.name}}, {@code {.status.podIP}},
 * {@code {.items[*].status.podIP}} (values joined by spaces), string literals such as {@code {"\n"}}, with text
 * around them kept. Filters, ranges and
 * {@code {range}} blocks are not emulated: a template that uses them is refused rather than answered wrongly.
 */
final class JsonPathTemplate {

    private static final Pattern EXPRESSION = Pattern.compile("\\{([^}]*)}");
    private static final Pattern STEP = Pattern.compile("\\.([A-Za-z0-9_-]+)|\\[(\\d+|\\*)]");

    private JsonPathTemplate() {
    }

    static String render(String template, JsonElement subject) {
        Matcher expression = EXPRESSION.matcher(template);
        StringBuilder rendered = new StringBuilder();
        while (expression.find()) {
            String inside = expression.group(1);
            String value = inside.length() >= 2 && inside.startsWith("\"") && inside.endsWith("\"")
                    ? inside.substring(1, inside.length() - 1).replace("\\n", "\n").replace("\\t", "\t")
                    : String.join(" ", evaluate(inside, subject).stream().map(JsonPathTemplate::text).toList());
            expression.appendReplacement(rendered, Matcher.quoteReplacement(value));
        }
        expression.appendTail(rendered);
        return rendered.toString();
    }

    private static List<JsonElement> evaluate(String path, JsonElement subject) {
        List<JsonElement> current = List.of(subject);
        Matcher step = STEP.matcher(path);
        int end = 0;
        while (step.find()) {
            if (step.start() != end) {
                throw new ClusterCommands.Refused("error: the emulated kubectl's jsonpath takes plain paths only, not {"
                        + path + "}");
            }
            end = step.end();
            List<JsonElement> next = new ArrayList<>();
            for (JsonElement element : current) {
                if (step.group(1) != null && element instanceof JsonObject object && object.has(step.group(1))) {
                    next.add(object.get(step.group(1)));
                } else if (step.group(2) != null && element instanceof JsonArray array) {
                    if (step.group(2).equals("*")) {
                        array.forEach(next::add);
                    } else if (Integer.parseInt(step.group(2)) < array.size()) {
                        next.add(array.get(Integer.parseInt(step.group(2))));
                    } else {
                        throw new ClusterCommands.Refused("error: error executing jsonpath \"{" + path
                                + "}\": Error executing template: array index out of bounds: index "
                                + step.group(2) + ", length " + array.size());
                    }
                }
            }
            current = next;
        }
        if (end != path.length()) {
            throw new ClusterCommands.Refused("error: the emulated kubectl's jsonpath takes plain paths only, not {"
                    + path + "}");
        }
        return current;
    }

    private static String text(JsonElement value) {
        return value.isJsonPrimitive() ? value.getAsString() : value.toString();
    }
}
