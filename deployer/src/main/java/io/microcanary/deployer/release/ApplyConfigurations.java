package io.microcanary.deployer.release;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import io.microcanary.deployer.cluster.Pods;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The bodies the harness sends, built as JSON holding exactly the fields it means to own: what a person wrote in the
 * manifests, or what the API server itself returned, with nothing added that the server did not send (no empty
 * lists, no status, no server-set metadata). A serialised client-java model would instead carry every field of the
 * client's newest Kubernetes, which an older API server refuses ("field not declared in schema").
 */
public final class ApplyConfigurations {

    /** Metadata a person writes; the rest (uid, resourceVersion, managedFields...) is the server's. */
    private static final Set<String> OWN_METADATA = Set.of("name", "namespace", "labels", "annotations");
    /** Annotations that tools and controllers set, never the harness. */
    private static final Set<String> FOREIGN_ANNOTATIONS = Set.of("kubectl.kubernetes.io/last-applied-configuration",
            "deployment.kubernetes.io/revision", "deployment.kubernetes.io/revision-history",
            "deployment.kubernetes.io/desired-replicas", "deployment.kubernetes.io/max-replicas",
            "deprecated.deployment.rollback.to");
    /** The spec of a canary is stable's, less what belongs to stable's own rollout. */
    private static final Set<String> STABLE_ONLY_SPEC = Set.of("replicas", "paused");

    private ApplyConfigurations() {
    }

    /** Stable as the manifest defines it, running {@code image} with {@code replicas} pods, in {@code namespace}. */
    public static JsonObject stable(JsonObject manifest, String image, int replicas, String namespace) {
        JsonObject stable = header(manifest, namespace);
        JsonObject spec = pruned(manifest.getAsJsonObject("spec"));
        spec.addProperty("replicas", replicas);
        stable.add("spec", reorderedReplicasFirst(spec));
        String version = Tracks.versionOf(image);
        labels(stable.getAsJsonObject("metadata")).addProperty(Tracks.VERSION, version);
        labels(template(stable).getAsJsonObject("metadata")).addProperty(Tracks.VERSION, version);
        appContainer(stable).addProperty("image", image);
        return stable;
    }

    /**
     * A canary of live stable: its pod template with {@code image} and the {@code env} overrides, {@code track:
     * canary} in labels and selector, and the release's state in its annotations, where no controller copies it.
     */
    public static JsonObject canary(JsonObject liveStable, String image, int replicas, Map<String, String> env,
                                    int stableReplicas) {
        String service = liveStable.getAsJsonObject("metadata").get("name").getAsString();
        String namespace = liveStable.getAsJsonObject("metadata").get("namespace").getAsString();
        String version = Tracks.versionOf(image);
        JsonObject canary = header(liveStable, namespace);
        JsonObject meta = canary.getAsJsonObject("metadata");
        meta.addProperty("name", Tracks.canaryName(service));
        labels(meta).addProperty(Tracks.TRACK, "canary");
        labels(meta).addProperty(Tracks.VERSION, version);
        JsonObject annotations = new JsonObject();
        annotations.addProperty(Tracks.CANARY_OF, service);
        annotations.addProperty(Tracks.STABLE_REPLICAS, String.valueOf(stableReplicas));
        meta.add("annotations", annotations);

        JsonObject spec = new JsonObject();
        spec.addProperty("replicas", replicas);
        for (var field : pruned(liveStable.getAsJsonObject("spec")).entrySet()) {
            if (!STABLE_ONLY_SPEC.contains(field.getKey())) {
                spec.add(field.getKey(), field.getValue());
            }
        }
        canary.add("spec", spec);
        spec.getAsJsonObject("selector").getAsJsonObject("matchLabels").addProperty(Tracks.TRACK, "canary");
        JsonObject podLabels = labels(template(canary).getAsJsonObject("metadata"));
        podLabels.addProperty(Tracks.TRACK, "canary");
        podLabels.addProperty(Tracks.VERSION, version);
        JsonObject app = appContainer(canary);
        app.addProperty("image", image);
        env.forEach((name, value) -> setEnv(app, name, value));
        return canary;
    }

    /**
     * A JSON patch rolling stable to {@code image} with {@code replicas} pods: the app container's image (after
     * testing that the index still names it), the version labels and the replica count, and nothing else.
     */
    public static JsonArray promotion(JsonObject liveStable, String image, int replicas) {
        JsonArray containers = template(liveStable).getAsJsonObject("spec").getAsJsonArray("containers");
        int app = appContainerIndex(containers);
        String containerPath = "/spec/template/spec/containers/" + app;
        String version = Tracks.versionOf(image);
        JsonArray patch = new JsonArray();
        patch.add(operation("test", containerPath + "/name",
                containers.get(app).getAsJsonObject().get("name")));
        patch.add(operation("replace", containerPath + "/image", new JsonPrimitive(image)));
        patch.add(operation(labelOp(liveStable.getAsJsonObject("metadata")), "/metadata/labels/" + Tracks.VERSION,
                new JsonPrimitive(version)));
        patch.add(operation(labelOp(template(liveStable).getAsJsonObject("metadata")),
                "/spec/template/metadata/labels/" + Tracks.VERSION, new JsonPrimitive(version)));
        patch.add(operation("replace", "/spec/replicas", new JsonPrimitive(replicas)));
        return patch;
    }

    private static String labelOp(JsonObject metadata) {
        return metadata.has("labels") && metadata.getAsJsonObject("labels").has(Tracks.VERSION) ? "replace" : "add";
    }

    private static JsonObject operation(String op, String path, JsonElement value) {
        JsonObject operation = new JsonObject();
        operation.addProperty("op", op);
        operation.addProperty("path", path);
        operation.add("value", value);
        return operation;
    }

    private static JsonObject header(JsonObject source, String namespace) {
        JsonObject object = new JsonObject();
        object.addProperty("apiVersion", "apps/v1");
        object.addProperty("kind", "Deployment");
        JsonObject meta = new JsonObject();
        JsonObject sourceMeta = source.getAsJsonObject("metadata");
        for (String field : List.of("name", "namespace", "labels", "annotations")) {
            if (sourceMeta.has(field) && OWN_METADATA.contains(field)) {
                meta.add(field, sourceMeta.get(field).deepCopy());
            }
        }
        meta.addProperty("namespace", namespace);
        if (meta.has("annotations")) {
            FOREIGN_ANNOTATIONS.forEach(meta.getAsJsonObject("annotations")::remove);
            if (meta.getAsJsonObject("annotations").isEmpty()) {
                meta.remove("annotations");
            }
        }
        object.add("metadata", meta);
        return object;
    }

    /** A copy without nulls, empty lists and empty maps, except {@code {}} where it means something (emptyDir). */
    static JsonObject pruned(JsonObject object) {
        JsonObject copy = new JsonObject();
        for (var field : object.entrySet()) {
            JsonElement value = prune(field.getKey(), field.getValue());
            if (value != null) {
                copy.add(field.getKey(), value);
            }
        }
        return copy;
    }

    private static JsonElement prune(String name, JsonElement value) {
        if (value.isJsonNull()) {
            return null;
        }
        if (value.isJsonArray()) {
            JsonArray array = new JsonArray();
            for (JsonElement item : value.getAsJsonArray()) {
                JsonElement kept = prune(null, item);
                if (kept != null) {
                    array.add(kept);
                }
            }
            return array.isEmpty() ? null : array;
        }
        if (value.isJsonObject()) {
            JsonObject object = pruned(value.getAsJsonObject());
            return object.isEmpty() && !MEANINGFUL_EMPTY.contains(String.valueOf(name)) ? null : object;
        }
        return value;
    }

    /** Fields whose empty object is a choice, not an absence: a volume's {@code emptyDir: {}}. */
    private static final Set<String> MEANINGFUL_EMPTY = Set.of("emptyDir");

    private static JsonObject reorderedReplicasFirst(JsonObject spec) {
        JsonObject ordered = new JsonObject();
        ordered.add("replicas", spec.get("replicas"));
        spec.entrySet().stream().filter(e -> !e.getKey().equals("replicas")).forEach(e -> ordered.add(e.getKey(), e.getValue()));
        return ordered;
    }

    private static JsonObject template(JsonObject deployment) {
        return deployment.getAsJsonObject("spec").getAsJsonObject("template");
    }

    private static JsonObject labels(JsonObject metadata) {
        if (!metadata.has("labels")) {
            metadata.add("labels", new JsonObject());
        }
        return metadata.getAsJsonObject("labels");
    }

    /** The image of a Deployment's app container, as JSON (the manifest's, or the server's). */
    static String image(JsonObject deployment) {
        return appContainer(deployment).get("image").getAsString();
    }

    private static JsonObject appContainer(JsonObject deployment) {
        JsonArray containers = template(deployment).getAsJsonObject("spec").getAsJsonArray("containers");
        return containers.get(appContainerIndex(containers)).getAsJsonObject();
    }

    /** The container named {@code app} (this project's convention), else the first. */
    private static int appContainerIndex(JsonArray containers) {
        for (int i = 0; i < containers.size(); i++) {
            if (Pods.APP_CONTAINER.equals(containers.get(i).getAsJsonObject().get("name").getAsString())) {
                return i;
            }
        }
        return 0;
    }

    private static void setEnv(JsonObject container, String name, String value) {
        if (!container.has("env")) {
            container.add("env", new JsonArray());
        }
        JsonArray env = container.getAsJsonArray("env");
        for (int i = env.size() - 1; i >= 0; i--) {
            if (env.get(i).getAsJsonObject().get("name").getAsString().equals(name)) {
                env.remove(i);
            }
        }
        JsonObject variable = new JsonObject();
        variable.addProperty("name", name);
        variable.addProperty("value", value);
        env.add(variable);
    }
}
