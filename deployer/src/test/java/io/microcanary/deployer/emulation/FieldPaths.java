package io.microcanary.deployer.emulation;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An object as the set of its leaf fields, named as server-side apply names them: lists whose items have keys (a pod's
 * containers by name, their ports by port and protocol...) are addressed by key, other lists are single values.
 * This is the granularity at which the emulation tracks which field manager owns what.
 */
final class FieldPaths {

    /** The list-map keys of the Deployment schema's associative lists ({@code x-kubernetes-list-map-keys}). */
    private static final Map<String, List<String>> LIST_KEYS = Map.ofEntries(
            Map.entry("containers", List.of("name")),
            Map.entry("initContainers", List.of("name")),
            Map.entry("ephemeralContainers", List.of("name")),
            Map.entry("env", List.of("name")),
            Map.entry("volumes", List.of("name")),
            Map.entry("volumeMounts", List.of("mountPath")),
            Map.entry("volumeDevices", List.of("devicePath")),
            Map.entry("imagePullSecrets", List.of("name")),
            Map.entry("ports", List.of("containerPort", "protocol")),
            Map.entry("topologySpreadConstraints", List.of("topologyKey", "whenUnsatisfiable")),
            Map.entry("resourceClaims", List.of("name")),
            Map.entry("schedulingGates", List.of("name")),
            Map.entry("hostAliases", List.of("ip")));

    /** Between the steps of a path: label and annotation keys hold dots, so a dot cannot separate them. */
    private static final char SEPARATOR = '\u001F';

    private FieldPaths() {
    }

    /** A path as the API server prints it: {@code .spec.template.spec.containers[name="app"].image}. */
    static String display(String path) {
        return path.replace(SEPARATOR, '.');
    }

    /** The path of a field under {@code parent} ("" for the root). */
    static String child(String parent, String field) {
        return parent + SEPARATOR + field;
    }

    /** Every leaf of {@code object}, by path, in document order. An empty object ({@code emptyDir: {}}) is a leaf. */
    static Map<String, JsonElement> leaves(JsonObject object) {
        Map<String, JsonElement> leaves = new LinkedHashMap<>();
        collect(object, "", null, leaves);
        return leaves;
    }

    private static void collect(JsonElement value, String path, String field, Map<String, JsonElement> leaves) {
        if (value.isJsonObject() && !value.getAsJsonObject().isEmpty()) {
            for (var entry : value.getAsJsonObject().entrySet()) {
                collect(entry.getValue(), child(path, entry.getKey()), entry.getKey(), leaves);
            }
        } else if (value.isJsonArray() && isKeyed(field, value.getAsJsonArray())) {
            for (JsonElement item : value.getAsJsonArray()) {
                JsonObject keyed = withDefaultKeys(field, item.getAsJsonObject());
                collect(keyed, path + key(field, keyed), null, leaves);
            }
        } else {
            leaves.put(path, value);
        }
    }

    private static boolean isKeyed(String field, JsonArray array) {
        if (!LIST_KEYS.containsKey(field) || array.isEmpty()) {
            return false;
        }
        for (JsonElement item : array) {
            if (!item.isJsonObject()) {
                return false;
            }
        }
        return true;
    }

    /** Container ports are keyed by port and protocol; the protocol defaults to TCP. */
    private static JsonObject withDefaultKeys(String field, JsonObject item) {
        if (field.equals("ports") && !item.has("protocol")) {
            JsonObject copy = item.deepCopy();
            copy.addProperty("protocol", "TCP");
            return copy;
        }
        return item;
    }

    private static String key(String field, JsonObject item) {
        List<String> parts = new ArrayList<>();
        for (String key : LIST_KEYS.get(field)) {
            parts.add(key + "=" + item.get(key));
        }
        return "[" + String.join(",", parts) + "]";
    }

    /** Sets a leaf, creating the objects and keyed list items on its way. */
    static void set(JsonObject root, String path, JsonElement value) {
        List<String> steps = steps(path);
        JsonElement at = root;
        for (int i = 0; i < steps.size() - 1; i++) {
            String step = steps.get(i);
            String next = steps.get(i + 1);
            if (step.startsWith("[")) {
                at = item(at.getAsJsonArray(), step, true);
            } else {
                JsonObject object = at.getAsJsonObject();
                if (!object.has(step) || object.get(step).isJsonNull()
                        || next.startsWith("[") != object.get(step).isJsonArray()) {
                    object.add(step, next.startsWith("[") ? new JsonArray() : new JsonObject());
                }
                at = object.get(step);
            }
        }
        at.getAsJsonObject().add(steps.get(steps.size() - 1), value.deepCopy());
    }

    /** Removes a leaf, then the objects and keyed list items it leaves empty (an item holding only its keys is empty). */
    static void remove(JsonObject root, String path) {
        List<String> steps = steps(path);
        List<JsonElement> chain = new ArrayList<>();
        JsonElement at = root;
        for (int i = 0; i < steps.size() - 1; i++) {
            chain.add(at);
            String step = steps.get(i);
            at = step.startsWith("[") ? item(at.getAsJsonArray(), step, false)
                    : at.getAsJsonObject().get(step);
            if (at == null || at.isJsonNull()) {
                return;
            }
        }
        at.getAsJsonObject().remove(steps.get(steps.size() - 1));
        for (int i = steps.size() - 2; i >= 0; i--) {
            JsonElement child = i + 1 < chain.size() ? chain.get(i + 1) : at;
            JsonElement parent = chain.get(i);
            String step = steps.get(i);
            if (step.startsWith("[")) {
                if (onlyKeys(child.getAsJsonObject(), step)) {
                    parent.getAsJsonArray().remove(child);
                } else {
                    return;
                }
            } else if ((child.isJsonObject() && child.getAsJsonObject().isEmpty())
                    || (child.isJsonArray() && child.getAsJsonArray().isEmpty())) {
                parent.getAsJsonObject().remove(step);
            } else {
                return;
            }
        }
    }

    private static boolean onlyKeys(JsonObject item, String step) {
        return parseKey(step).keySet().containsAll(item.keySet());
    }

    private static JsonObject item(JsonArray list, String step, boolean create) {
        Map<String, JsonElement> keys = parseKey(step);
        for (JsonElement candidate : list) {
            JsonObject item = candidate.getAsJsonObject();
            boolean matches = keys.entrySet().stream().allMatch(key -> key.getValue().equals(item.get(key.getKey()))
                    || (key.getKey().equals("protocol") && !item.has("protocol")
                    && key.getValue().getAsString().equals("TCP")));
            if (matches) {
                return item;
            }
        }
        if (!create) {
            return null;
        }
        JsonObject added = new JsonObject();
        keys.forEach(added::add);
        list.add(added);
        return added;
    }

    private static Map<String, JsonElement> parseKey(String step) {
        Map<String, JsonElement> keys = new LinkedHashMap<>();
        for (String part : step.substring(1, step.length() - 1).split(",(?=[A-Za-z]+=)")) {
            int equals = part.indexOf('=');
            keys.put(part.substring(0, equals), JsonParser.parseString(part.substring(equals + 1)));
        }
        return keys;
    }

    /** {@code .spec.containers[name="app"].image} (with separators for dots) as {@code spec, containers, [name="app"], image}. */
    private static List<String> steps(String path) {
        List<String> steps = new ArrayList<>();
        int i = 0;
        while (i < path.length()) {
            char c = path.charAt(i);
            if (c == SEPARATOR) {
                int end = i + 1;
                while (end < path.length() && path.charAt(end) != SEPARATOR && path.charAt(end) != '[') {
                    end++;
                }
                steps.add(path.substring(i + 1, end));
                i = end;
            } else if (c == '[') {
                int end = closing(path, i);
                steps.add(path.substring(i, end + 1));
                i = end + 1;
            } else {
                throw new IllegalArgumentException("not a field path: " + path);
            }
        }
        return steps;
    }

    private static int closing(String path, int open) {
        boolean quoted = false;
        for (int i = open + 1; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '"' && path.charAt(i - 1) != '\\') {
                quoted = !quoted;
            } else if (c == ']' && !quoted) {
                return i;
            }
        }
        throw new IllegalArgumentException("unclosed key in " + path);
    }
}
