package io.microcanary.deployer.emulation;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Server-side apply's bookkeeping for one object: which field manager owns which leaf, kept apart by operation as
 * the API server keeps them ({@code micro-canary}'s applies and its merge patches are two entries). Its rules are
 * the ones that matter to the harness: an apply owns what it sends and, taking over with {@code force}, removes
 * what the same manager applied before and no longer sends unless someone else owns it too; an update (any other
 * patch) takes ownership of the values it changes; nobody's apply removes a field only an update set.
 */
final class FieldOwnership {

    /** The parts of an object no manager owns: identity, server-set metadata and status. */
    private static final Set<String> UNOWNED = Set.of("apiVersion", "kind", "status");
    private static final Set<String> UNOWNED_METADATA = Set.of("name", "namespace", "uid", "resourceVersion",
            "generation", "creationTimestamp", "managedFields", "deletionTimestamp", "finalizers", "ownerReferences");

    private final Map<String, Set<String>> owners = new LinkedHashMap<>();

    /** A conflict found by a non-forced apply, in the API server's words. */
    static final class Conflict extends RuntimeException {
        Conflict(String message) {
            super(message);
        }
    }

    FieldOwnership copy() {
        FieldOwnership copy = new FieldOwnership();
        owners.forEach((key, fields) -> copy.owners.put(key, new LinkedHashSet<>(fields)));
        return copy;
    }

    /** Applies {@code body} to {@code live} (changed in place) as {@code manager}. */
    void apply(JsonObject live, JsonObject body, String manager, boolean force) {
        Map<String, JsonElement> sent = owned(body);
        Map<String, JsonElement> current = owned(live);
        String applier = manager + "/Apply";
        List<String> conflicts = new ArrayList<>();
        for (var field : sent.entrySet()) {
            for (var owner : owners.entrySet()) {
                if (!owner.getKey().equals(applier) && owner.getValue().contains(field.getKey())
                        && !field.getValue().equals(current.get(field.getKey()))) {
                    conflicts.add("conflict with \"" + owner.getKey().replaceAll("/\\w+$", "") + "\""
                            + (owner.getKey().endsWith("/Update") ? " using apps/v1" : "") + ": "
                            + FieldPaths.display(field.getKey()));
                }
            }
        }
        if (!conflicts.isEmpty() && !force) {
            throw new Conflict("Apply failed with " + conflicts.size() + " conflict" + (conflicts.size() > 1 ? "s" : "")
                    + ": " + String.join("\n", conflicts));
        }
        for (String dropped : owners.getOrDefault(applier, Set.of())) {
            if (!sent.containsKey(dropped) && ownersOf(dropped, applier).isEmpty()) {
                FieldPaths.remove(live, dropped);
            }
        }
        for (var field : sent.entrySet()) {
            boolean sameValue = field.getValue().equals(current.get(field.getKey()));
            if (!sameValue) {
                owners.values().forEach(fields -> fields.remove(field.getKey()));
            }
            FieldPaths.set(live, field.getKey(), field.getValue());
        }
        owners.put(applier, new LinkedHashSet<>(sent.keySet()));
        dropEmpty();
    }

    /** Records an update by {@code manager} that turned {@code before} into {@code after}. */
    void update(JsonObject before, JsonObject after, String manager) {
        Map<String, JsonElement> old = owned(before);
        Map<String, JsonElement> now = owned(after);
        String updater = manager + "/Update";
        for (var field : now.entrySet()) {
            if (!Objects.equals(field.getValue(), old.get(field.getKey()))) {
                owners.values().forEach(fields -> fields.remove(field.getKey()));
                owners.computeIfAbsent(updater, name -> new LinkedHashSet<>()).add(field.getKey());
            }
        }
        for (String gone : old.keySet()) {
            if (!now.containsKey(gone)) {
                owners.values().forEach(fields -> fields.remove(gone));
            }
        }
        dropEmpty();
    }

    /** The entries as {@code metadata.managedFields} shows them (fields listed flat: the harness never reads them). */
    JsonArray managedFields() {
        JsonArray entries = new JsonArray();
        owners.forEach((key, fields) -> {
            JsonObject entry = new JsonObject();
            entry.addProperty("manager", key.substring(0, key.lastIndexOf('/')));
            entry.addProperty("operation", key.substring(key.lastIndexOf('/') + 1));
            entry.addProperty("apiVersion", "apps/v1");
            entry.addProperty("fieldsType", "FieldsV1");
            JsonObject fieldsV1 = new JsonObject();
            fields.forEach(field -> fieldsV1.add(FieldPaths.display(field), new JsonObject()));
            entry.add("fieldsV1", fieldsV1);
            entries.add(entry);
        });
        return entries;
    }

    /** Which managers (as "name/Operation") own a field, for assertions. */
    List<String> ownersOf(String displayedPath) {
        return owners.entrySet().stream()
                .filter(owner -> owner.getValue().stream().anyMatch(f -> FieldPaths.display(f).equals(displayedPath)))
                .map(Map.Entry::getKey).toList();
    }

    private List<String> ownersOf(String field, String except) {
        return owners.entrySet().stream()
                .filter(owner -> !owner.getKey().equals(except) && owner.getValue().contains(field))
                .map(Map.Entry::getKey).toList();
    }

    private void dropEmpty() {
        owners.values().removeIf(Set::isEmpty);
    }

    private static Map<String, JsonElement> owned(JsonObject object) {
        JsonObject copy = object.deepCopy();
        UNOWNED.forEach(copy::remove);
        if (copy.has("metadata") && copy.get("metadata").isJsonObject()) {
            UNOWNED_METADATA.forEach(copy.getAsJsonObject("metadata")::remove);
            if (copy.getAsJsonObject("metadata").isEmpty()) {
                copy.remove("metadata");
            }
        }
        return FieldPaths.leaves(copy);
    }
}
