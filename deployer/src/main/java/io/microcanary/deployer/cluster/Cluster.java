package io.microcanary.deployer.cluster;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
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
 * Deployments are server-side applies with one field manager, or JSON merge patches for single fields.
 */
public final class Cluster {

    public static final String FIELD_MANAGER = "micro-canary";

    /** Merge patches remove fields with explicit nulls, which the client's own Gson would leave out. */
    private static final Gson MERGE_PATCH_JSON = new GsonBuilder().serializeNulls().create();

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

    /** Server-side apply of a whole Deployment; this tool owns the fields it sets and takes them over if needed. */
    public V1Deployment apply(V1Deployment deployment) {
        String name = deployment.getMetadata().getName();
        String body = client.getJSON().serialize(deployment);
        try {
            return PatchUtils.patch(V1Deployment.class,
                    () -> apps.patchNamespacedDeployment(name, namespace, new V1Patch(body))
                            .fieldManager(FIELD_MANAGER).force(true).buildCall(null),
                    V1Patch.PATCH_FORMAT_APPLY_YAML, client);
        } catch (ApiException e) {
            throw failure("apply deployment " + name, e);
        }
    }

    /** A JSON merge patch ({@code null} values remove a field). */
    public V1Deployment mergePatch(String name, Map<String, Object> patch) {
        String body = MERGE_PATCH_JSON.toJson(patch);
        try {
            return PatchUtils.patch(V1Deployment.class,
                    () -> apps.patchNamespacedDeployment(name, namespace, new V1Patch(body))
                            .fieldManager(FIELD_MANAGER).buildCall(null),
                    V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH, client);
        } catch (ApiException e) {
            throw failure("patch deployment " + name, e);
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

    /** Events about one object. */
    public List<CoreV1Event> events(String objectName) {
        try {
            return core.listNamespacedEvent(namespace).fieldSelector("involvedObject.name=" + objectName)
                    .execute().getItems();
        } catch (ApiException e) {
            throw failure("list events of " + objectName, e);
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
        String detail = e.getCode() == 0 ? String.valueOf(e.getCause()) : "HTTP " + e.getCode() + " " + e.getResponseBody();
        return new ClusterException("could not " + action + " in namespace " + namespace + ": " + detail, e);
    }

    public record ExecResult(int exitCode, String stdout, String stderr) {
        public boolean succeeded() {
            return exitCode == 0;
        }
    }
}
