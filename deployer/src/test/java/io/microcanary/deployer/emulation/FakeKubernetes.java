package io.microcanary.deployer.emulation;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.kubernetes.client.openapi.ApiClient;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import okio.ByteString;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Kubernetes API server emulation over real HTTP, for one namespace: Deployments (get, list, server-side apply,
 * merge patch, delete), their Pods, Events, pod logs, the pod proxy and exec over WebSocket. A small controller
 * moves Deployments towards their spec one step per request, as the real one does over time, so waits see
 * progress; how each image's pods behave is up to the test. Every request is recorded for assertions.
 */
public final class FakeKubernetes implements AutoCloseable {

    public static final String NAMESPACE = "micro-canary";
    private static final Gson GSON = new Gson();
    private static final Pattern DEPLOYMENT = Pattern.compile("/apis/apps/v1/namespaces/([^/]+)/deployments(?:/([^/]+))?");
    private static final Pattern POD_PROXY = Pattern.compile("/api/v1/namespaces/([^/]+)/pods/([^/:]+)(?::([^/]+))?/proxy(/.*)?");
    private static final Pattern POD_PART = Pattern.compile("/api/v1/namespaces/([^/]+)/pods/([^/]+)/(log|exec)");
    private static final Pattern PODS = Pattern.compile("/api/v1/namespaces/([^/]+)/pods");
    private static final Pattern EVENTS = Pattern.compile("/api/v1/namespaces/([^/]+)/events");

    private final MockWebServer server = new MockWebServer();
    private final Map<String, JsonObject> deployments = new LinkedHashMap<>();
    private final Map<String, FakePod> pods = new LinkedHashMap<>();
    private final List<JsonObject> events = new ArrayList<>();
    private final List<RecordedCall> calls = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger names = new AtomicInteger();
    private Function<String, Behaviour> behaviours = image -> Behaviour.HEALTHY;
    private BiFunction<String, String, String> proxy = (pod, path) -> "{\"status\":\"UP\"}";
    private Function<List<String>, ExecAnswer> exec = command -> new ExecAnswer(0, "ok\n");
    private boolean paused;
    private Duration execTime = Duration.ofMillis(100);
    private Predicate<RecordedCall> failing = call -> false;

    /** What a command run by exec prints and how it exits. */
    public record ExecAnswer(int exitCode, String stdout) {
    }

    public FakeKubernetes() throws IOException {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return handle(request);
            }
        });
        server.start();
    }

    /** A client for this server, as the harness gets one from a kubeconfig. */
    public ApiClient client() {
        ApiClient client = new ApiClient();
        client.setBasePath(server.url("/").toString().replaceAll("/$", ""));
        return client;
    }

    /** A kubeconfig whose current context is this server, as {@code KUBECONFIG} for the real command line. */
    public Path writeKubeconfig(Path file) throws IOException {
        Files.writeString(file, """
                apiVersion: v1
                kind: Config
                clusters:
                  - name: emulated
                    cluster:
                      server: %s
                users:
                  - name: learner
                    user:
                      token: emulated
                contexts:
                  - name: emulated
                    context:
                      cluster: emulated
                      user: learner
                      namespace: %s
                current-context: emulated
                """.formatted(server.url("/").toString().replaceAll("/$", ""), NAMESPACE));
        return file;
    }

    /** Every Deployment of rendered manifests (as {@code kubectl kustomize} prints them), already rolled out. */
    public void givenManifests(String renderedYaml) {
        for (Object document : new org.yaml.snakeyaml.Yaml().loadAll(renderedYaml)) {
            if (document instanceof Map<?, ?> object && "Deployment".equals(object.get("kind"))) {
                givenDeployment(GSON.toJsonTree(object).getAsJsonObject());
            }
        }
    }

    /** The desired replicas of a Deployment. */
    public int replicas(String deployment) {
        return replicas(deployment(deployment));
    }

    /** The image of a Deployment's first container. */
    public String image(String deployment) {
        return deployment(deployment).getAsJsonObject("spec").getAsJsonObject("template").getAsJsonObject("spec")
                .getAsJsonArray("containers").get(0).getAsJsonObject().get("image").getAsString();
    }

    /** A pod as the API server would return it, or {@code null}. */
    public synchronized JsonObject pod(String name) {
        FakePod pod = pods.get(name);
        return pod == null ? null : pod.json();
    }

    public void behaviour(Function<String, Behaviour> byImage) {
        this.behaviours = byImage;
    }

    /** Answers of the pod proxy: (pod, path) to body. */
    public void proxy(BiFunction<String, String, String> answer) {
        this.proxy = answer;
    }

    /** How long an exec'd command runs before it answers (100 ms unless set). */
    public void execTime(Duration time) {
        this.execTime = time;
    }

    public void exec(Function<List<String>, ExecAnswer> answer) {
        this.exec = answer;
    }

    /** Requests matching {@code which} get a 500 Status, as from an API server in trouble. */
    public synchronized void failRequests(Predicate<RecordedCall> which) {
        this.failing = which;
    }

    /** Stops the controller, as if it were down: Deployments keep the status they have. */
    public synchronized void pauseController(boolean paused) {
        this.paused = paused;
    }

    /** Adds a Deployment that is already rolled out, as if applied long ago. */
    public synchronized void givenDeployment(JsonObject deployment) {
        JsonObject copy = deployment.deepCopy();
        metadata(copy).addProperty("namespace", NAMESPACE);
        metadata(copy).addProperty("generation", 1);
        deployments.put(name(copy), copy);
        for (int i = 0; i < 20; i++) {
            reconcile();
        }
    }

    public synchronized JsonObject deployment(String name) {
        JsonObject deployment = deployments.get(name);
        return deployment == null ? null : deployment.deepCopy();
    }

    /** Removes a Deployment and its pods behind the harness's back, as a person with kubectl might. */
    public synchronized void deleteDeployment(String name) {
        deployments.remove(name);
        pods.values().removeIf(pod -> pod.owner().equals(name));
    }

    public synchronized List<String> podNames() {
        return new ArrayList<>(pods.keySet());
    }

    public List<RecordedCall> calls() {
        synchronized (calls) {
            return new ArrayList<>(calls);
        }
    }

    /** The requests that changed something: every method but GET. */
    public List<RecordedCall> writes() {
        return calls().stream().filter(call -> !call.method().equals("GET")).toList();
    }

    public void clearCalls() {
        calls.clear();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }

    private synchronized MockResponse handle(RecordedRequest request) {
        String path = decode(request.getUrl().encodedPath()); // the API server decodes, e.g. pod%3A8080
        String query = request.getUrl().encodedQuery();
        String body = request.getBody() == null ? "" : request.getBody().utf8();
        RecordedCall call = new RecordedCall(request.getMethod(), path, query == null ? null : decode(query),
                request.getHeaders().get("Content-Type"), body);
        calls.add(call);
        if (failing.test(call)) {
            return status(500, "etcdserver: request timed out");
        }
        reconcile();
        Matcher m;
        if ((m = DEPLOYMENT.matcher(path)).matches()) {
            return deployments(request.getMethod(), m.group(2), request, body);
        }
        if ((m = POD_PROXY.matcher(path)).matches()) {
            if (!pods.containsKey(m.group(2))) {
                return status(404, "pods \"" + m.group(2) + "\" not found");
            }
            return json(200, proxy.apply(m.group(2), m.group(4) == null ? "/" : m.group(4)));
        }
        if ((m = POD_PART.matcher(path)).matches()) {
            FakePod pod = pods.get(m.group(2));
            if (pod == null) {
                return status(404, "pods \"" + m.group(2) + "\" not found");
            }
            return m.group(3).equals("log") ? new MockResponse.Builder().code(200).body(pod.log()).build()
                    : execUpgrade(request);
        }
        if (PODS.matcher(path).matches()) {
            return list("PodList", pods.values().stream().map(FakePod::json)
                    .filter(pod -> matches(pod, request.getUrl().queryParameter("labelSelector"))).toList());
        }
        if (EVENTS.matcher(path).matches()) {
            String field = request.getUrl().queryParameter("fieldSelector");
            String object = field == null ? null : field.replace("involvedObject.name=", "");
            return list("EventList", events.stream()
                    .filter(e -> object == null || object.equals(e.getAsJsonObject("involvedObject").get("name").getAsString()))
                    .toList());
        }
        return status(404, "the emulation does not serve " + request.getMethod() + " " + path);
    }

    private MockResponse deployments(String method, String name, RecordedRequest request, String body) {
        if (name == null) {
            return list("DeploymentList", deployments.values().stream()
                    .filter(d -> matches(d, request.getUrl().queryParameter("labelSelector"))).toList());
        }
        JsonObject current = deployments.get(name);
        switch (method) {
            case "GET":
                return current == null ? status(404, "deployments.apps \"" + name + "\" not found") : json(200, current);
            case "DELETE":
                if (current == null) {
                    return status(404, "deployments.apps \"" + name + "\" not found");
                }
                deployments.remove(name);
                pods.values().removeIf(pod -> pod.owner().equals(name));
                return status(200, "deleted");
            case "PATCH":
                String type = request.getHeaders().get("Content-Type");
                JsonObject patch = JsonParser.parseString(body).getAsJsonObject();
                if (type != null && type.startsWith("application/apply-patch+yaml")) {
                    return json(200, apply(name, current, patch));
                }
                if (current == null) {
                    return status(404, "deployments.apps \"" + name + "\" not found");
                }
                if (type != null && type.startsWith("application/merge-patch+json")) {
                    return json(200, update(current, mergePatch(current.deepCopy(), patch)));
                }
                return status(415, "the emulation takes apply and merge patches, not " + type);
            default:
                return status(405, method + " is not emulated");
        }
    }

    private JsonObject apply(String name, JsonObject current, JsonObject applied) {
        if (current == null) {
            JsonObject created = applied.deepCopy();
            metadata(created).addProperty("namespace", NAMESPACE);
            metadata(created).addProperty("generation", 1);
            metadata(created).addProperty("uid", "uid-" + names.incrementAndGet());
            deployments.put(name, created);
            event(name, "Normal", "ScalingReplicaSet", "Scaled up replica set to " + replicas(created));
            return created;
        }
        JsonObject next = current.deepCopy();
        next.add("spec", applied.get("spec"));
        JsonObject meta = metadata(next);
        meta.add("labels", metadata(applied).get("labels"));
        meta.add("annotations", metadata(applied).has("annotations") ? metadata(applied).get("annotations") : JsonNull.INSTANCE);
        return update(current, next);
    }

    private JsonObject update(JsonObject before, JsonObject after) {
        if (!before.get("spec").equals(after.get("spec"))) {
            metadata(after).addProperty("generation", metadata(before).get("generation").getAsLong() + 1);
            if (replicas(before) != replicas(after)) {
                event(name(after), "Normal", "ScalingReplicaSet", "Scaled replica set to " + replicas(after));
            }
        }
        deployments.put(name(after), after);
        return after;
    }

    /** RFC 7386: objects merge, null removes, anything else replaces. */
    static JsonObject mergePatch(JsonObject target, JsonObject patch) {
        for (var entry : patch.entrySet()) {
            JsonElement value = entry.getValue();
            if (value.isJsonNull()) {
                target.remove(entry.getKey());
            } else if (value.isJsonObject() && target.get(entry.getKey()) instanceof JsonObject existing) {
                mergePatch(existing, value.getAsJsonObject());
            } else if (value.isJsonObject()) {
                target.add(entry.getKey(), mergePatch(new JsonObject(), value.getAsJsonObject()));
            } else {
                target.add(entry.getKey(), value);
            }
        }
        return target;
    }

    /** One step of the Deployment controller and the kubelet. */
    private void reconcile() {
        if (paused) {
            return;
        }
        pods.values().forEach(FakePod::tick);
        for (JsonObject deployment : deployments.values()) {
            String name = name(deployment);
            String template = deployment.getAsJsonObject("spec").get("template").toString();
            pods.values().removeIf(pod -> pod.owner().equals(name) && !pod.template().equals(template));
            List<FakePod> own = pods.values().stream().filter(pod -> pod.owner().equals(name)).toList();
            int desired = replicas(deployment);
            for (int i = own.size(); i < desired; i++) {
                String image = deployment.getAsJsonObject("spec").getAsJsonObject("template").getAsJsonObject("spec")
                        .getAsJsonArray("containers").get(0).getAsJsonObject().get("image").getAsString();
                FakePod pod = new FakePod(name + "-" + Integer.toHexString(template.hashCode() & 0xfffff) + "-"
                        + names.incrementAndGet(), name, template, deployment, behaviours.apply(image));
                pods.put(pod.name(), pod);
                event(pod.name(), "Normal", "Scheduled", "Successfully assigned " + NAMESPACE + "/" + pod.name());
            }
            own.stream().skip(desired).forEach(pod -> pods.remove(pod.name()));
            long ready = pods.values().stream().filter(pod -> pod.owner().equals(name) && pod.ready()).count();
            long current = pods.values().stream().filter(pod -> pod.owner().equals(name)).count();
            JsonObject status = new JsonObject();
            status.addProperty("observedGeneration", metadata(deployment).get("generation").getAsLong());
            status.addProperty("replicas", current);
            status.addProperty("updatedReplicas", current);
            status.addProperty("readyReplicas", ready);
            status.addProperty("availableReplicas", ready);
            deployment.add("status", status);
        }
    }

    private MockResponse execUpgrade(RecordedRequest request) {
        List<String> command = request.getUrl().queryParameterValues("command");
        ExecAnswer answer = exec.apply(command);
        return new MockResponse.Builder().webSocketUpgrade(new WebSocketListener() {
            @Override
            public void onOpen(WebSocket socket, Response response) {
                // a command takes a moment to run (addressbook's ping starts a JVM): answer from another thread
                CompletableFuture.delayedExecutor(execTime.toMillis(),
                        TimeUnit.MILLISECONDS).execute(() -> answer(socket));
            }

            private void answer(WebSocket socket) {
                // v4.channel.k8s.io: the first byte of a frame is the stream (1 stdout, 3 the final status)
                socket.send(frame(1, answer.stdout()));
                String status = answer.exitCode() == 0 ? "{\"metadata\":{},\"status\":\"Success\"}"
                        : "{\"metadata\":{},\"status\":\"Failure\",\"message\":\"command terminated with non-zero exit code\","
                        + "\"reason\":\"NonZeroExitCode\",\"details\":{\"causes\":[{\"reason\":\"ExitCode\",\"message\":\""
                        + answer.exitCode() + "\"}]}}";
                socket.send(frame(3, status));
                socket.close(1000, "");
            }
        }).addHeader("Sec-WebSocket-Protocol", "v4.channel.k8s.io").build();
    }

    private static ByteString frame(int channel, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        byte[] framed = new byte[bytes.length + 1];
        framed[0] = (byte) channel;
        System.arraycopy(bytes, 0, framed, 1, bytes.length);
        return ByteString.of(framed);
    }

    private void event(String object, String type, String reason, String message) {
        JsonObject event = new JsonObject();
        JsonObject meta = new JsonObject();
        meta.addProperty("name", object + "." + names.incrementAndGet());
        meta.addProperty("namespace", NAMESPACE);
        event.add("metadata", meta);
        JsonObject involved = new JsonObject();
        involved.addProperty("name", object);
        event.add("involvedObject", involved);
        event.addProperty("type", type);
        event.addProperty("reason", reason);
        event.addProperty("message", message);
        event.addProperty("lastTimestamp", OffsetDateTime.now(ZoneOffset.UTC).withNano(0).toString());
        events.add(event);
    }

    static boolean matches(JsonObject object, String selector) {
        if (selector == null || selector.isBlank()) {
            return true;
        }
        JsonObject labels = metadata(object).getAsJsonObject("labels");
        for (String requirement : selector.split(",")) {
            String[] keyValue = requirement.split("=", 2);
            if (labels == null || !labels.has(keyValue[0]) || !labels.get(keyValue[0]).getAsString().equals(keyValue[1])) {
                return false;
            }
        }
        return true;
    }

    private static MockResponse list(String kind, List<JsonObject> items) {
        JsonObject list = new JsonObject();
        list.addProperty("kind", kind);
        list.addProperty("apiVersion", kind.equals("DeploymentList") ? "apps/v1" : "v1");
        list.add("metadata", new JsonObject());
        JsonArray array = new JsonArray();
        items.forEach(array::add);
        list.add("items", array);
        return json(200, list);
    }

    private static MockResponse status(int code, String message) {
        JsonObject status = new JsonObject();
        status.addProperty("kind", "Status");
        status.addProperty("apiVersion", "v1");
        status.addProperty("status", code < 400 ? "Success" : "Failure");
        status.addProperty("message", message);
        status.addProperty("code", code);
        return json(code, status);
    }

    private static MockResponse json(int code, Object body) {
        String text = body instanceof String s ? s : GSON.toJson(body);
        return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json").body(text).build();
    }

    static JsonObject metadata(JsonObject object) {
        return object.getAsJsonObject("metadata");
    }

    static String name(JsonObject object) {
        return metadata(object).get("name").getAsString();
    }

    static int replicas(JsonObject deployment) {
        JsonElement replicas = deployment.getAsJsonObject("spec").get("replicas");
        return replicas == null ? 1 : replicas.getAsInt();
    }

    private static String decode(String query) {
        return URLDecoder.decode(query, StandardCharsets.UTF_8);
    }
}
