package io.microcanary.deployer.cluster;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.kubernetes.client.Exec;
import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.AppsV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.CoreV1Event;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.util.PatchUtils;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The few Kubernetes calls the harness makes, in one namespace, on an injected {@link ApiClient}. Writes to
 * Deployments are server-side applies of apply configurations (bodies holding only the fields the harness means to
 * own, built as JSON, never a serialised model: the model carries every field of the client's newest Kubernetes,
 * which an older API server refuses), or merge and JSON patches of single fields; all under one field manager.
 */
public final class Cluster {

    public static final String FIELD_MANAGER = "micro-canary";

    /** Merge patches remove fields with explicit nulls, which the client's own Gson would leave out. */
    private static final Gson PATCH_JSON = new GsonBuilder().serializeNulls().disableHtmlEscaping().create();

    private final ApiClient client;
    private final AppsV1Api apps;
    private final CoreV1Api core;
    private final String namespace;

    public Cluster(ApiClient client, String namespace) {
        this.client = client;
        this.apps = new AppsV1Api(client);
        this.core = new CoreV1Api(client);
        this.namespace = namespace;
    }

    public String namespace() {
        return namespace;
    }

    public Optional<V1Deployment> deployment(String name) {
        try {
            return Optional.of(apps.readNamespacedDeployment(name, namespace).execute());
        } catch (ApiException e) {
            if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
                return Optional.empty();
            }
            throw failure("read deployment " + name, e);
        }
    }

    /** The Deployment exactly as the API server sent it, for deriving apply configurations from it. */
    public Optional<JsonObject> deploymentJson(String name) {
        try (var response = apps.readNamespacedDeployment(name, namespace).buildCall(null).execute()) {
            String body = response.body() == null ? "" : response.body().string();
            if (response.code() == HttpURLConnection.HTTP_NOT_FOUND) {
                return Optional.empty();
            }
            if (!response.isSuccessful()) {
                throw failure("read deployment " + name, new ApiException(response.code(), body));
            }
            return Optional.of(JsonParser.parseString(body).getAsJsonObject());
        } catch (IOException e) {
            throw failure("read deployment " + name, new ApiException(e));
        } catch (ApiException e) {
            throw failure("read deployment " + name, e);
        }
    }

    /** The body an apply or patch sends: compact JSON, its keys in the order given. */
    public static String body(JsonElement json) {
        return PATCH_JSON.toJson(json);
    }

    /** Server-side apply of an apply configuration; this tool owns the fields it sends and takes them over if needed. */
    public V1Deployment apply(JsonObject applyConfiguration) {
        String name = applyConfiguration.getAsJsonObject("metadata").get("name").getAsString();
        return patch("apply", name, body(applyConfiguration), V1Patch.PATCH_FORMAT_APPLY_YAML, true);
    }

    /** A JSON merge patch ({@code null} values remove a field). */
    public V1Deployment mergePatch(String name, Map<String, Object> patch) {
        return patch("patch", name, PATCH_JSON.toJson(patch), V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH, false);
    }

    /** A JSON patch (RFC 6902), for changing one item of a list such as a container's image. */
    public V1Deployment jsonPatch(String name, com.google.gson.JsonArray operations) {
        return patch("patch", name, body(operations), V1Patch.PATCH_FORMAT_JSON_PATCH, false);
    }

    private V1Deployment patch(String verb, String name, String body, String format, boolean force) {
        try {
            return PatchUtils.patch(V1Deployment.class, () -> {
                var request = apps.patchNamespacedDeployment(name, namespace, new V1Patch(body))
                        .fieldManager(FIELD_MANAGER);
                return (force ? request.force(true) : request).buildCall(null);
            }, format, client);
        } catch (ApiException e) {
            throw failure(verb + " deployment " + name, e);
        }
    }

    public void scale(String name, int replicas) {
        mergePatch(name, Map.of("spec", Map.of("replicas", replicas)));
    }

    /** Deletes a Deployment and, in the foreground, its pods; {@code false} when it was not there. */
    public boolean delete(String name) {
        try {
            apps.deleteNamespacedDeployment(name, namespace).propagationPolicy("Foreground").execute();
            return true;
        } catch (ApiException e) {
            if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
                return false;
            }
            throw failure("delete deployment " + name, e);
        }
    }

    public List<V1Pod> pods(String labelSelector) {
        try {
            return core.listNamespacedPod(namespace).labelSelector(labelSelector).execute().getItems();
        } catch (ApiException e) {
            throw failure("list pods " + labelSelector, e);
        }
    }

    /** The last lines a container wrote, or a note saying why there are none. */
    public String logTail(String pod, String container, int lines) {
        try {
            var request = core.readNamespacedPodLog(pod, namespace).tailLines(lines);
            String log = (container == null ? request : request.container(container)).execute();
            return log == null ? "" : log;
        } catch (ApiException e) {
            return "(no logs: " + e.getCode() + " " + e.getMessage() + ")";
        }
    }

    /** GET through the API server's pod proxy, e.g. {@code /health/readiness} or {@code /prometheus}. */
    public String proxyGet(String pod, String port, String path) {
        String target = port == null ? pod : pod + ":" + port;
        try {
            return core.connectGetNamespacedPodProxyWithPath(target, namespace, path.replaceFirst("^/", ""))
                    .execute();
        } catch (ApiException e) {
            throw failure("GET " + path + " on pod " + pod, e);
        }
    }

    /** Runs a command in a container, like {@code kubectl exec}, within {@code timeout}. */
    public ExecResult exec(String pod, String container, List<String> command, Duration timeout) {
        try {
            Process process = new Exec(client).exec(namespace, pod, command.toArray(new String[0]), container,
                    false, false);
            CompletableFuture<String> stdout = readAsync(process::getInputStream);
            CompletableFuture<String> stderr = readAsync(process::getErrorStream);
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroy();
                return new ExecResult(-1, stdout.getNow(""), "timed out after " + timeout.toSeconds() + "s");
            }
            return new ExecResult(process.exitValue(), stdout.get(timeout.toMillis(), TimeUnit.MILLISECONDS),
                    stderr.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
        } catch (ApiException e) {
            throw failure("exec in pod " + pod, e);
        } catch (IOException | java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            return new ExecResult(-1, "", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ExecResult(-1, "", "interrupted");
        }
    }

    /** Events about objects of one kind ({@code Deployment}, {@code ReplicaSet}, {@code Pod}). */
    public List<CoreV1Event> events(String kind) {
        try {
            return core.listNamespacedEvent(namespace).fieldSelector("involvedObject.kind=" + kind)
                    .execute().getItems();
        } catch (ApiException e) {
            throw failure("list events of " + kind + "s", e);
        }
    }

    public List<V1Deployment> deployments(String labelSelector) {
        try {
            return apps.listNamespacedDeployment(namespace).labelSelector(labelSelector).execute().getItems();
        } catch (ApiException e) {
            throw failure("list deployments " + labelSelector, e);
        }
    }

    /**
     * Reads a stream of an exec'd command. The client refuses to hand out a stream once the WebSocket has closed,
     * which a command that finishes at once can do before we ask: its output is then lost, its exit code is not.
     */
    private static CompletableFuture<String> readAsync(java.util.function.Supplier<InputStream> streams) {
        return CompletableFuture.supplyAsync(() -> {
            try (InputStream stream = streams.get()) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                stream.transferTo(out);
                return out.toString(StandardCharsets.UTF_8);
            } catch (IOException | IllegalStateException e) {
                return "";
            }
        });
    }

    private ClusterException failure(String action, ApiException e) {
        if (e.getCode() == 0) {
            return new ClusterException(Unreachable.describe(client.getBasePath(), e), e);
        }
        return new ClusterException("could not " + action + " in namespace " + namespace + ": HTTP " + e.getCode()
                + " " + Unreachable.statusMessage(e.getResponseBody()), e);
    }

    public record ExecResult(int exitCode, String stdout, String stderr) {
        public boolean succeeded() {
            return exitCode == 0;
        }
    }
}
