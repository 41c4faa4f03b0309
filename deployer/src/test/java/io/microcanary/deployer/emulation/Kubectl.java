package io.microcanary.deployer.emulation;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;

import java.io.IOException;
import java.util.Comparator;

/**
 * What a person's kubectl sends for the commands the tutorial uses beside the harness, over HTTP to the emulated
 * API server, request for request: {@code kubectl rollout undo} (a JSON patch putting the previous ReplicaSet's pod
 * template and annotations back on the Deployment) and {@code kubectl scale}.
 */
public final class Kubectl {

    private static final MediaType JSON_PATCH = MediaType.get("application/json-patch+json");
    private static final MediaType MERGE_PATCH = MediaType.get("application/merge-patch+json");

    private final OkHttpClient http = new OkHttpClient();
    private final String base;

    public Kubectl(FakeKubernetes cluster) {
        this.base = cluster.baseUrl() + "/apis/apps/v1/namespaces/" + FakeKubernetes.NAMESPACE;
    }

    /** {@code kubectl rollout undo deployment/NAME}: back to the revision before the current one. */
    public void rolloutUndo(String name) throws IOException {
        JsonObject deployment = get("/deployments/" + name);
        long current = Long.parseLong(annotations(deployment).get("deployment.kubernetes.io/revision").getAsString());
        String selector = String.join(",", deployment.getAsJsonObject("spec").getAsJsonObject("selector")
                .getAsJsonObject("matchLabels").entrySet().stream()
                .map(label -> label.getKey() + "=" + label.getValue().getAsString()).toList());
        JsonObject previous = get("/replicasets?labelSelector=" + selector).getAsJsonArray("items").asList().stream()
                .map(item -> item.getAsJsonObject())
                .filter(rs -> revision(rs) < current)
                .max(Comparator.comparingLong(Kubectl::revision))
                .orElseThrow(() -> new IllegalStateException("no rollout history found for deployment " + name));
        JsonObject template = previous.getAsJsonObject("spec").getAsJsonObject("template").deepCopy();
        template.getAsJsonObject("metadata").getAsJsonObject("labels").remove("pod-template-hash");
        JsonObject restored = new JsonObject();
        for (String kept : FakeKubernetes.NOT_COPIED) {
            if (annotations(deployment).has(kept)) {
                restored.add(kept, annotations(deployment).get(kept));
            }
        }
        annotations(previous).entrySet().stream().filter(a -> !FakeKubernetes.NOT_COPIED.contains(a.getKey()))
                .forEach(a -> restored.add(a.getKey(), a.getValue()));
        JsonArray patch = new JsonArray();
        patch.add(operation("/spec/template", template));
        patch.add(operation("/metadata/annotations", restored));
        send(new Request.Builder().url(base + "/deployments/" + name + "?fieldManager=kubectl-rollout")
                .patch(RequestBody.create(patch.toString(), JSON_PATCH)).build());
    }

    /** {@code kubectl scale deployment/NAME --replicas=N}. */
    public void scale(String name, int replicas) throws IOException {
        send(new Request.Builder().url(base + "/deployments/" + name + "/scale?fieldManager=kubectl")
                .patch(RequestBody.create("{\"spec\":{\"replicas\":" + replicas + "}}", MERGE_PATCH)).build());
    }

    private JsonObject get(String path) throws IOException {
        return send(new Request.Builder().url(base + path).build());
    }

    private JsonObject send(Request request) throws IOException {
        try (var response = http.newCall(request).execute()) {
            String body = response.body().string();
            if (!response.isSuccessful()) {
                throw new IOException(request.method() + " " + request.url() + ": HTTP " + response.code() + " " + body);
            }
            return JsonParser.parseString(body).getAsJsonObject();
        }
    }

    private static JsonObject operation(String path, JsonObject value) {
        JsonObject operation = new JsonObject();
        operation.addProperty("op", "replace");
        operation.addProperty("path", path);
        operation.add("value", value);
        return operation;
    }

    private static JsonObject annotations(JsonObject object) {
        JsonObject metadata = object.getAsJsonObject("metadata");
        return metadata.has("annotations") ? metadata.getAsJsonObject("annotations") : new JsonObject();
    }

    private static long revision(JsonObject replicaSet) {
        return Long.parseLong(annotations(replicaSet).get("deployment.kubernetes.io/revision").getAsString());
    }
}
