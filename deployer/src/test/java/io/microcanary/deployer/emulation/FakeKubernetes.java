package io.microcanary.deployer.emulation;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.kubernetes.client.openapi.ApiClient;
import io.microcanary.deployer.rollout.Ticker;
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
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Kubernetes API server emulation over real HTTP, for one namespace, with the real server's rules where the harness
 * meets them:
 * <ul>
 *   <li>Deployments: get, list, server-side apply (field ownership per manager and operation, as {@link
 *   FieldOwnership} describes; the schema of the oldest supported Kubernetes, {@link ApiSchema}; the real error
 *   statuses and texts), merge and JSON patches, the {@code scale} subresource, and foreground deletion that lasts
 *   until the pods are gone;</li>
 *   <li>the deployment controller: a ReplicaSet per pod template with its revision, the Deployment's annotations
 *   copied into the current ReplicaSet (and never removed from it), pods moved towards the spec one step per request,
 *   events on the Deployment, its ReplicaSets and its pods;</li>
 *   <li>Pods, Events (with the server's field selectors), pod logs, the pod proxy, and exec over WebSocket;</li>
 *   <li>Services (get), their Endpoints as the endpoints controller derives them from the selected pods' addresses
 *   and readiness, and the service proxy, which sends each request to a random ready address.</li>
 * </ul>
 * What it cannot see: admission webhooks, quota, RBAC (every request is allowed), the scheduler's real decisions,
 * networking (kube-proxy, NetworkPolicies), and field ownership at a finer grain than leaves and keyed list items.
 * How each image's pods behave is up to the test. Every request is recorded for assertions.
 */
public final class FakeKubernetes implements AutoCloseable {

    public static final String NAMESPACE = "micro-canary";
    /** The manager {@code kubectl apply} (client-side) records; the manifests a test starts from were applied so. */
    public static final String KUBECTL_APPLY = "kubectl-client-side-apply";
    private static final Gson GSON = new com.google.gson.GsonBuilder().disableHtmlEscaping().create();
    private static final Pattern DEPLOYMENT = Pattern.compile("/apis/apps/v1/namespaces/([^/]+)/deployments(?:/([^/]+))?(/scale)?");
    private static final Pattern REPLICA_SETS = Pattern.compile("/apis/apps/v1/namespaces/([^/]+)/replicasets");
    private static final Pattern POD_PROXY = Pattern.compile("/api/v1/namespaces/([^/]+)/pods/([^/:]+)(?::([^/]+))?/proxy(/.*)?");
    private static final Pattern POD_PART = Pattern.compile("/api/v1/namespaces/([^/]+)/pods/([^/]+)/(log|exec)");
    private static final Pattern PODS = Pattern.compile("/api/v1/namespaces/([^/]+)/pods");
    private static final Pattern EVENTS = Pattern.compile("/api/v1/namespaces/([^/]+)/events");
    private static final Pattern SERVICE = Pattern.compile("/api/v1/namespaces/([^/]+)/services/([^/]+)");
    private static final Pattern SERVICE_PROXY = Pattern.compile("/api/v1/namespaces/([^/]+)/services/([^/]+)/proxy(/.*)?");
    private static final Pattern ENDPOINTS = Pattern.compile("/api/v1/namespaces/([^/]+)/endpoints/([^/]+)");
    /** Annotations the deployment controller does not copy into ReplicaSets, and {@code rollout undo} does not copy back. */
    static final List<String> NOT_COPIED = List.of("kubectl.kubernetes.io/last-applied-configuration",
            "deployment.kubernetes.io/revision", "deployment.kubernetes.io/revision-history",
            "deployment.kubernetes.io/desired-replicas", "deployment.kubernetes.io/max-replicas",
            "deprecated.deployment.rollback.to");

    private final MockWebServer server = new MockWebServer();
    private final Map<String, JsonObject> deployments = new LinkedHashMap<>();
    private final Map<String, FieldOwnership> ownership = new HashMap<>();
    private final Map<String, JsonObject> replicaSets = new LinkedHashMap<>();
    private final Map<String, FakePod> pods = new LinkedHashMap<>();
    private final Map<String, JsonObject> services = new LinkedHashMap<>();
    private final AtomicInteger podIps = new AtomicInteger();
    private volatile String podNetwork = "10.244";
    private Function<PodRequest, PodResponse> podHttp;
    private Predicate<String> readinessProbe = pod -> true;
    private final List<JsonObject> events = new ArrayList<>();
    private final List<RecordedCall> calls = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger names = new AtomicInteger();
    private final ApiSchema schema = ApiSchema.oldestSupported();
    private long resourceVersion = 1000;
    private Function<String, Behaviour> behaviours = image -> Behaviour.HEALTHY;
    private BiFunction<String, String, String> proxy = (pod, path) -> "{\"status\":\"UP\"}";
    private Function<List<String>, ExecAnswer> exec = command -> new ExecAnswer(0, "ok\n");
    private boolean paused;
    private Duration execTime = Duration.ofMillis(100);
    private Predicate<RecordedCall> failing = call -> false;
    private boolean unreachable;

    /**
     * What the API server's authorizer checks for a request: the verb, API group, resource (with its subresource,
     * e.g. {@code pods/exec}). An apply that creates its object is authorized as {@code create}, as upstream does.
     */
    public record Access(String verb, String group, String resource) {
        @Override
        public String toString() {
            return verb + " " + (group.isEmpty() ? "" : group + "/") + resource;
        }
    }

    private final List<Access> accesses = Collections.synchronizedList(new ArrayList<>());

    /** Every access the requests so far needed, for the RBAC coverage test. */
    public List<Access> accesses() {
        synchronized (accesses) {
            return new ArrayList<>(accesses);
        }
    }

    /** An HTTP request the API server's service proxy passes on to a pod: path and query as the client sent them. */
    public record PodRequest(String pod, String method, String path, String query, Map<String, String> headers) {
    }

    /** A pod's answer to a {@link PodRequest}. */
    public record PodResponse(int code, Map<String, String> headers, String body) {
    }

    /** What a command run by exec prints and how it exits. */
    public record ExecAnswer(int exitCode, String stdout) {
    }

    private final Ticker clock;

    /** An API server on the real clock. */
    public FakeKubernetes() throws IOException {
        this(Ticker.SYSTEM);
    }

    /**
     * An API server that stamps objects (creation, pod start, events) with {@code clock}'s time: hand it the harness's
     * fake clock, and a deadline the harness measures against those stamps passes when the fake time does.
     */
    public FakeKubernetes(Ticker clock) throws IOException {
        this.clock = clock;
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return handle(request);
            }
        });
        server.start();
    }

    /** The clock this server stamps objects with; a harness run against it runs on it too. */
    public Ticker clock() {
        return clock;
    }

    /** A client for this server, as the harness gets one from a kubeconfig. */
    public ApiClient client() {
        ApiClient client = new ApiClient();
        client.setBasePath(baseUrl());
        return client;
    }

    public String baseUrl() {
        return server.url("/").toString().replaceAll("/$", "");
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
                """.formatted(baseUrl(), NAMESPACE));
        return file;
    }

    /** Every Deployment and Service of rendered manifests (as {@code kubectl kustomize} prints them), already rolled out. */
    public void givenManifests(String renderedYaml) {
        for (Object document : new org.yaml.snakeyaml.Yaml().loadAll(renderedYaml)) {
            if (document instanceof Map<?, ?> object && "Deployment".equals(object.get("kind"))) {
                givenDeployment(GSON.toJsonTree(object).getAsJsonObject());
            }
            if (document instanceof Map<?, ?> object && "Service".equals(object.get("kind"))) {
                givenService(GSON.toJsonTree(object).getAsJsonObject());
            }
        }
    }

    /** A Service, as if applied long ago; its Endpoints follow the pods it selects and their readiness. */
    public synchronized void givenService(JsonObject service) {
        JsonObject copy = service.deepCopy();
        metadata(copy).addProperty("namespace", NAMESPACE);
        services.put(name(copy), copy);
    }

    /** The Endpoints of a Service as the endpoints controller keeps them, or {@code null} without the Service. */
    public synchronized JsonObject endpoints(String service) {
        JsonObject found = services.get(service);
        return found == null ? null : ServiceEndpoints.of(found, pods.values());
    }

    /**
     * How pods answer HTTP that reaches them through the service proxy; unset, with the {@link #proxy} answer as JSON.
     */
    public void podHttp(Function<PodRequest, PodResponse> answer) {
        this.podHttp = answer;
    }

    /**
     * The first two octets of the pods' addresses: {@code 10.244} (minikube's pod network) unless set. The docs
     * test sets {@code 127.244}, loopback addresses this machine has without any set-up, so that a pod's real process
     * can open its connections from its own address, as a pod does from its IP.
     */
    public void podNetwork(String firstTwoOctets) {
        this.podNetwork = firstTwoOctets;
    }

    /**
     * What the kubelet's readiness probe finds in a pod (by name) once its container runs; unset, it passes. A
     * failing probe makes the pod unready, and its address moves to the Service's {@code notReadyAddresses}.
     */
    public void readinessProbe(Predicate<String> ready) {
        this.readinessProbe = ready;
    }

    /** The desired replicas of a Deployment. */
    public int replicas(String deployment) {
        return replicas(deployment(deployment));
    }

    /** The image of a Deployment's first container. */
    public String image(String deployment) {
        return containers(deployment(deployment)).get(0).getAsJsonObject().get("image").getAsString();
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

    /** Adds a Deployment that is already rolled out, as if {@code kubectl apply} had created it long ago. */
    public synchronized void givenDeployment(JsonObject deployment) {
        JsonObject copy = deployment.deepCopy();
        metadata(copy).addProperty("namespace", NAMESPACE);
        String name = name(copy);
        deployments.remove(name);
        pods.values().removeIf(pod -> pod.owner().equals(name));
        replicaSets.values().removeIf(rs -> owner(rs).equals(name));
        FieldOwnership owners = new FieldOwnership();
        owners.update(new JsonObject(), copy, KUBECTL_APPLY);
        ownership.put(name, owners);
        created(copy);
        for (int i = 0; i < 20; i++) {
            reconcile();
        }
    }

    public synchronized JsonObject deployment(String name) {
        JsonObject deployment = deployments.get(name);
        return deployment == null ? null : view(deployment);
    }

    /** The managers that own a field of a Deployment, e.g. {@code .spec.replicas}, as "name/Operation". */
    public synchronized List<String> owners(String deployment, String field) {
        return ownership.get(deployment).ownersOf(field);
    }

    /** The ReplicaSets of a Deployment, oldest revision first. */
    public synchronized List<JsonObject> replicaSets(String deployment) {
        return replicaSets.values().stream().filter(rs -> owner(rs).equals(deployment))
                .sorted((a, b) -> Long.compare(revision(a), revision(b))).map(JsonObject::deepCopy).toList();
    }

    /** Removes a Deployment and its pods behind the harness's back, as a person with kubectl might. */
    public synchronized void deleteDeployment(String name) {
        deployments.remove(name);
        ownership.remove(name);
        pods.values().removeIf(pod -> pod.owner().equals(name));
        replicaSets.values().removeIf(rs -> owner(rs).equals(name));
    }

    /** Every request is refused at the TCP level from now on, as when the cluster is stopped. */
    public synchronized void goAway() throws IOException {
        unreachable = true;
        server.close();
    }

    public synchronized List<String> podNames() {
        return new ArrayList<>(pods.keySet());
    }

    public synchronized List<JsonObject> events() {
        return events.stream().map(JsonObject::deepCopy).toList();
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
        accesses.clear();
    }

    @Override
    public void close() throws IOException {
        if (!unreachable) {
            server.close();
        }
    }

    private synchronized MockResponse handle(RecordedRequest request) {
        String path = decode(request.getUrl().encodedPath()); // the API server decodes, e.g. pod%3A8080
        String query = request.getUrl().encodedQuery();
        String body = request.getBody() == null ? "" : request.getBody().utf8();
        RecordedCall call = new RecordedCall(request.getMethod(), path, query == null ? null : decode(query),
                request.getHeaders().get("Content-Type"), body);
        calls.add(call);
        accesses.addAll(authorize(request.getMethod(), path, request));
        if (failing.test(call)) {
            return status(500, "InternalError", "etcdserver: request timed out");
        }
        reconcile();
        Matcher m;
        if ((m = DEPLOYMENT.matcher(path)).matches()) {
            return m.group(3) != null ? scale(request.getMethod(), m.group(2), request, body)
                    : deployments(request.getMethod(), m.group(2), request, body);
        }
        if (REPLICA_SETS.matcher(path).matches()) {
            return list("ReplicaSetList", "apps/v1", replicaSets.values().stream()
                    .filter(rs -> matches(rs, request.getUrl().queryParameter("labelSelector"))).toList());
        }
        if ((m = SERVICE_PROXY.matcher(path)).matches()) {
            return serviceProxy(m.group(2), m.group(3), request);
        }
        if ((m = SERVICE.matcher(path)).matches()) {
            String name = m.group(2);
            return services.containsKey(name) ? json(200, services.get(name)) : notFound("services", name);
        }
        if ((m = ENDPOINTS.matcher(path)).matches()) {
            JsonObject endpoints = endpoints(m.group(2));
            return endpoints == null ? notFound("endpoints", m.group(2)) : json(200, endpoints);
        }
        if ((m = POD_PROXY.matcher(path)).matches()) {
            if (!pods.containsKey(m.group(2))) {
                return notFound("pods", m.group(2));
            }
            return json(200, proxy.apply(m.group(2), m.group(4) == null ? "/" : m.group(4)));
        }
        if ((m = POD_PART.matcher(path)).matches()) {
            FakePod pod = pods.get(m.group(2));
            if (pod == null) {
                return notFound("pods", m.group(2));
            }
            if (m.group(3).equals("log")) {
                String tail = request.getUrl().queryParameter("tailLines");
                return new MockResponse.Builder().code(200).body(pod.log(tail == null ? Integer.MAX_VALUE
                        : Integer.parseInt(tail))).build();
            }
            return execUpgrade(request);
        }
        if (PODS.matcher(path).matches()) {
            return list("PodList", "v1", pods.values().stream().map(FakePod::json)
                    .filter(pod -> matches(pod, request.getUrl().queryParameter("labelSelector"))).toList());
        }
        if (EVENTS.matcher(path).matches()) {
            return events(request.getUrl().queryParameter("fieldSelector"));
        }
        return status(404, "NotFound", "the server could not find the requested resource");
    }

    /**
     * The service proxy: {@code <name>}, {@code <name>:<port name>} or {@code <scheme>:<name>:<port name>}; each
     * request goes to a random ready address of that port, as upstream's {@code ResourceLocation} picks it.
     */
    private MockResponse serviceProxy(String id, String rest, RecordedRequest request) {
        String[] parts = id.split(":");
        String name = parts.length == 3 ? parts[1] : parts[0];
        String port = parts.length == 3 ? parts[2] : parts.length == 2 ? parts[1] : "";
        if (!services.containsKey(name)) {
            return notFound("services", name);
        }
        Optional<String> pod = ServiceEndpoints.pick(endpoints(name), port);
        if (pod.isEmpty()) {
            return status(503, "ServiceUnavailable", "no endpoints available for service \"" + id + "\"");
        }
        String path = rest == null ? "/" : rest;
        if (podHttp == null) {
            return json(200, proxy.apply(pod.get(), path));
        }
        Map<String, String> headers = new LinkedHashMap<>();
        request.getHeaders().forEach(header -> {
            if (!header.getFirst().equalsIgnoreCase("Authorization")) {
                headers.put(header.getFirst(), header.getSecond());
            }
        });
        PodResponse answer = podHttp.apply(new PodRequest(pod.get(), request.getMethod(), path,
                request.getUrl().encodedQuery(), headers));
        MockResponse.Builder response = new MockResponse.Builder().code(answer.code()).body(answer.body());
        answer.headers().forEach(response::addHeader);
        return response.build();
    }

    private List<Access> authorize(String method, String path, RecordedRequest request) {
        Matcher m;
        boolean named;
        String group;
        String resource;
        if ((m = DEPLOYMENT.matcher(path)).matches()) {
            group = "apps";
            resource = m.group(3) != null ? "deployments/scale" : "deployments";
            named = m.group(2) != null;
            boolean creates = method.equals("PATCH") && named && !deployments.containsKey(m.group(2))
                    && String.valueOf(request.getHeaders().get("Content-Type")).startsWith("application/apply-patch");
            if (creates) {
                return List.of(new Access("create", group, resource));
            }
        } else if (REPLICA_SETS.matcher(path).matches()) {
            group = "apps";
            resource = "replicasets";
            named = false;
        } else if (SERVICE_PROXY.matcher(path).matches()) {
            return List.of(new Access(method.toLowerCase(java.util.Locale.ROOT), "", "services/proxy"));
        } else if (SERVICE.matcher(path).matches() || ENDPOINTS.matcher(path).matches()) {
            return List.of(new Access("get", "", SERVICE.matcher(path).matches() ? "services" : "endpoints"));
        } else if ((m = POD_PROXY.matcher(path)).matches()) {
            return List.of(new Access(method.toLowerCase(java.util.Locale.ROOT), "", "pods/proxy"));
        } else if ((m = POD_PART.matcher(path)).matches()) {
            // exec is a WebSocket upgrade of a GET: authorized as get up to 1.30, and (also) as create from 1.31
            return m.group(3).equals("exec") ? List.of(new Access("get", "", "pods/exec"), new Access("create", "",
                    "pods/exec")) : List.of(new Access("get", "", "pods/log"));
        } else if (PODS.matcher(path).matches()) {
            group = "";
            resource = "pods";
            named = false;
        } else if (EVENTS.matcher(path).matches()) {
            group = "";
            resource = "events";
            named = false;
        } else {
            return List.of();
        }
        String verb = switch (method) {
            case "GET" -> named ? "get" : "true".equals(request.getUrl().queryParameter("watch")) ? "watch" : "list";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> named ? "delete" : "deletecollection";
            default -> method.toLowerCase(java.util.Locale.ROOT);
        };
        return List.of(new Access(verb, group, resource));
    }

    private MockResponse deployments(String method, String name, RecordedRequest request, String body) {
        if (name == null) {
            return list("DeploymentList", "apps/v1", deployments.values().stream()
                    .filter(d -> matches(d, request.getUrl().queryParameter("labelSelector"))).map(this::view).toList());
        }
        JsonObject current = deployments.get(name);
        String manager = Optional.ofNullable(request.getUrl().queryParameter("fieldManager")).orElse("unknown");
        switch (method) {
            case "GET":
                return current == null ? notFound("deployments.apps", name) : json(200, view(current));
            case "DELETE":
                if (current == null) {
                    return notFound("deployments.apps", name);
                }
                return delete(current, request.getUrl().queryParameter("propagationPolicy"));
            case "PATCH":
                String type = String.valueOf(request.getHeaders().get("Content-Type"));
                if (type.startsWith("application/apply-patch+yaml")) {
                    return apply(name, current, body, manager, "true".equals(request.getUrl().queryParameter("force")));
                }
                if (current == null) {
                    return notFound("deployments.apps", name);
                }
                if (type.startsWith("application/merge-patch+json")) {
                    return update(current, mergePatch(current.deepCopy(), JsonParser.parseString(body).getAsJsonObject()),
                            manager);
                }
                if (type.startsWith("application/json-patch+json")) {
                    try {
                        return update(current, jsonPatch(current.deepCopy(),
                                JsonParser.parseString(body).getAsJsonArray()), manager);
                    } catch (JsonPatchFailed e) {
                        return status(422, "Invalid", e.getMessage());
                    }
                }
                return status(415, "UnsupportedMediaType", "the body of the request was in an unknown format - accepted "
                        + "media types include: application/json-patch+json, application/merge-patch+json, "
                        + "application/apply-patch+yaml");
            default:
                return status(405, "MethodNotAllowed", "the server does not allow this method on the requested resource");
        }
    }

    /** Server-side apply, with the checks a real API server makes in the order it makes them. */
    private MockResponse apply(String name, JsonObject current, String body, String manager, boolean force) {
        JsonObject applied;
        try {
            applied = JsonParser.parseString(body).getAsJsonObject();
        } catch (RuntimeException e) {
            return status(400, "BadRequest", "error decoding YAML: " + e.getMessage());
        }
        if (!applied.has("kind") || !applied.has("apiVersion")) {
            return status(400, "BadRequest", "error decoding patch: Object 'Kind' is missing in '" + body + "'");
        }
        JsonObject meta = applied.has("metadata") ? metadata(applied) : new JsonObject();
        if (meta.has("managedFields") && !meta.get("managedFields").isJsonNull()) {
            return status(400, "BadRequest", "metadata.managedFields must be nil");
        }
        if (meta.has("name") && !meta.get("name").getAsString().equals(name)) {
            return status(400, "BadRequest", "the name of the object (" + meta.get("name").getAsString()
                    + ") does not match the name on the URL (" + name + ")");
        }
        Optional<String> undeclared = schema.undeclaredField("V1Deployment", applied);
        if (undeclared.isPresent()) {
            return status(500, "InternalError", "failed to create typed patch object (" + NAMESPACE + "/" + name
                    + "; apps/v1, Kind=Deployment): " + undeclared.get() + ": field not declared in schema");
        }
        if (meta.has("namespace") && !meta.get("namespace").getAsString().equals(NAMESPACE)) {
            return status(400, "BadRequest", "the namespace of the provided object does not match the namespace sent "
                    + "on the request");
        }
        JsonObject next = current == null ? skeleton(name) : current.deepCopy();
        // a refused apply leaves no trace: it works on copies of the object and of its ownership
        FieldOwnership trial = current == null ? new FieldOwnership() : ownership.get(name).copy();
        try {
            trial.apply(next, applied, manager, force);
        } catch (FieldOwnership.Conflict conflict) {
            return status(409, "Conflict", conflict.getMessage());
        }
        Optional<String> invalid = invalid(current, next);
        if (invalid.isPresent()) {
            return status(422, "Invalid", invalid.get());
        }
        ownership.put(name, trial);
        if (current == null) {
            created(next);
            return json(201, view(next));
        }
        return json(200, view(stored(current, next)));
    }

    private MockResponse update(JsonObject current, JsonObject patched, String manager) {
        List<String> dropped = schema.dropUndeclared("V1Deployment", patched);
        Optional<String> invalid = invalid(current, patched);
        if (invalid.isPresent()) {
            return status(422, "Invalid", invalid.get());
        }
        ownership.get(name(current)).update(current, patched, manager);
        MockResponse.Builder response = new MockResponse.Builder().code(200)
                .addHeader("Content-Type", "application/json").body(GSON.toJson(view(stored(current, patched))));
        dropped.forEach(field -> response.addHeader("Warning", "299 - \"unknown field \\\"" + field.substring(1) + "\\\"\""));
        return response.build();
    }

    private MockResponse scale(String method, String name, RecordedRequest request, String body) {
        JsonObject current = deployments.get(name);
        if (current == null) {
            return notFound("deployments.apps", name);
        }
        if (method.equals("PATCH")) {
            JsonObject patch = JsonParser.parseString(body).getAsJsonObject();
            JsonObject next = current.deepCopy();
            next.getAsJsonObject("spec").add("replicas", patch.getAsJsonObject("spec").get("replicas"));
            update(current, next, Optional.ofNullable(request.getUrl().queryParameter("fieldManager")).orElse("unknown"));
        }
        JsonObject scale = object("autoscaling/v1", "Scale", name);
        metadata(scale).addProperty("namespace", NAMESPACE);
        JsonObject spec = new JsonObject();
        spec.addProperty("replicas", replicas(deployments.get(name)));
        scale.add("spec", spec);
        return json(200, scale);
    }

    private MockResponse delete(JsonObject current, String propagation) {
        String name = name(current);
        if ("Foreground".equals(propagation)) {
            if (!metadata(current).has("deletionTimestamp")) {
                metadata(current).addProperty("deletionTimestamp", now());
                JsonArray finalizers = new JsonArray();
                finalizers.add("foregroundDeletion");
                metadata(current).add("finalizers", finalizers);
                bump(current);
            }
            return json(200, view(current));
        }
        deleteDeployment(name);
        return status(200, "Success", null);
    }

    /** Validation a real API server makes on every write of a Deployment, in its words. */
    private static Optional<String> invalid(JsonObject before, JsonObject after) {
        String name = name(after);
        JsonObject spec = after.getAsJsonObject("spec");
        JsonObject selector = spec == null || !spec.has("selector") ? null : spec.getAsJsonObject("selector");
        if (selector == null) {
            return Optional.of("Deployment.apps \"" + name + "\" is invalid: spec.selector: Required value");
        }
        if (before != null && !selector.equals(before.getAsJsonObject("spec").get("selector"))) {
            return Optional.of("Deployment.apps \"" + name + "\" is invalid: spec.selector: Invalid value: "
                    + selector + ": field is immutable");
        }
        JsonObject templateLabels = spec.getAsJsonObject("template").getAsJsonObject("metadata").getAsJsonObject("labels");
        for (var label : selector.getAsJsonObject("matchLabels").entrySet()) {
            if (templateLabels == null || !label.getValue().equals(templateLabels.get(label.getKey()))) {
                return Optional.of("Deployment.apps \"" + name + "\" is invalid: spec.template.metadata.labels: "
                        + "Invalid value: " + templateLabels + ": `selector` does not match template `labels`");
            }
        }
        return Optional.empty();
    }

    private static JsonObject skeleton(String name) {
        return object("apps/v1", "Deployment", name);
    }

    private static JsonObject object(String apiVersion, String kind, String name) {
        JsonObject object = new JsonObject();
        object.addProperty("apiVersion", apiVersion);
        object.addProperty("kind", kind);
        JsonObject meta = new JsonObject();
        meta.addProperty("name", name);
        object.add("metadata", meta);
        return object;
    }

    private void created(JsonObject deployment) {
        JsonObject meta = metadata(deployment);
        meta.addProperty("namespace", NAMESPACE);
        meta.addProperty("uid", "uid-" + names.incrementAndGet());
        meta.addProperty("generation", 1);
        meta.addProperty("creationTimestamp", now());
        defaults(deployment);
        bump(deployment);
        deployments.put(name(deployment), deployment);
    }

    /** Stores a changed Deployment: defaults, a new resourceVersion, and a new generation if the spec changed. */
    private JsonObject stored(JsonObject before, JsonObject after) {
        defaults(after);
        if (!before.get("spec").equals(after.get("spec"))) {
            metadata(after).addProperty("generation", metadata(before).get("generation").getAsLong() + 1);
        }
        if (!after.equals(before)) {
            bump(after);
        }
        after.add("status", before.get("status"));
        deployments.put(name(after), after);
        return after;
    }

    private static void defaults(JsonObject deployment) {
        if (deployment.has("spec")) {
            Defaults.fill(deployment);
        }
    }

    private void bump(JsonObject object) {
        metadata(object).addProperty("resourceVersion", String.valueOf(++resourceVersion));
    }

    /** A Deployment as GET returns it: with its managed fields. */
    private JsonObject view(JsonObject deployment) {
        JsonObject copy = deployment.deepCopy();
        FieldOwnership owners = ownership.get(name(deployment));
        if (owners != null) {
            metadata(copy).add("managedFields", owners.managedFields());
        }
        return copy;
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

    /** RFC 6902: add, replace, remove and test, on object members and list items by index. */
    static JsonObject jsonPatch(JsonObject target, JsonArray operations) {
        for (JsonElement element : operations) {
            JsonObject operation = element.getAsJsonObject();
            String path = operation.get("path").getAsString();
            String[] steps = path.substring(1).split("/");
            JsonElement parent = target;
            for (int i = 0; i < steps.length - 1; i++) {
                String step = unescape(steps[i]);
                parent = parent.isJsonArray() ? parent.getAsJsonArray().get(Integer.parseInt(step))
                        : parent.getAsJsonObject().get(step);
                if (parent == null) {
                    throw new JsonPatchFailed("doc is missing path: \"" + path + "\"");
                }
            }
            String last = unescape(steps[steps.length - 1]);
            JsonElement value = operation.get("value");
            String op = operation.get("op").getAsString();
            if (parent.isJsonArray()) {
                JsonArray list = parent.getAsJsonArray();
                int index = Integer.parseInt(last);
                switch (op) {
                    case "replace" -> list.set(index, value.deepCopy());
                    case "remove" -> list.remove(index);
                    case "add" -> list.asList().add(index, value.deepCopy());
                    case "test" -> testValue(path, list.get(index), value);
                    default -> throw new JsonPatchFailed("Unexpected kind: " + op);
                }
                continue;
            }
            JsonObject object = parent.getAsJsonObject();
            switch (op) {
                case "add" -> object.add(last, value.deepCopy());
                case "replace" -> {
                    if (!object.has(last)) {
                        throw new JsonPatchFailed("replace operation does not apply: doc is missing key: " + path);
                    }
                    object.add(last, value.deepCopy());
                }
                case "remove" -> object.remove(last);
                case "test" -> testValue(path, object.get(last), value);
                default -> throw new JsonPatchFailed("Unexpected kind: " + op);
            }
        }
        return target;
    }

    private static void testValue(String path, JsonElement actual, JsonElement expected) {
        if (!expected.equals(actual)) {
            throw new JsonPatchFailed("testing value " + path + " failed: test failed");
        }
    }

    /** A JSON patch that does not apply: the API server answers 422 with the library's text. */
    static final class JsonPatchFailed extends RuntimeException {
        JsonPatchFailed(String message) {
            super(message);
        }
    }

    private static String unescape(String step) {
        return step.replace("~1", "/").replace("~0", "~");
    }

    /** One step of the deployment controller, the ReplicaSet controller and the kubelet. */
    private void reconcile() {
        if (paused) {
            return;
        }
        pods.values().forEach(pod -> pod.tick().ifPresent(event -> event(pod.name(), "Pod", event.type(),
                event.reason(), event.message())));
        for (JsonObject deployment : new ArrayList<>(deployments.values())) {
            String name = name(deployment);
            if (metadata(deployment).has("deletionTimestamp")) {
                boolean podsLeft = pods.values().removeIf(pod -> pod.owner().equals(name));
                if (!podsLeft) {
                    deployments.remove(name);
                    ownership.remove(name);
                    replicaSets.values().removeIf(rs -> owner(rs).equals(name));
                }
                continue;
            }
            JsonObject current = currentReplicaSet(deployment);
            String template = deployment.getAsJsonObject("spec").get("template").toString();
            pods.values().removeIf(pod -> pod.owner().equals(name) && !pod.template().equals(template));
            List<FakePod> own = pods.values().stream().filter(pod -> pod.owner().equals(name)).toList();
            int desired = replicas(deployment);
            if (own.size() != desired) {
                event(name, "Deployment", "Normal", "ScalingReplicaSet", "Scaled " + (own.size() < desired ? "up" : "down")
                        + " replica set " + name(current) + " to " + desired);
            }
            for (int i = own.size(); i < desired; i++) {
                String image = containers(deployment).get(0).getAsJsonObject().get("image").getAsString();
                FakePod pod = new FakePod(name(current) + "-" + Integer.toString(names.incrementAndGet(), 36), name,
                        template, deployment, behaviours.apply(image), now());
                int ip = podIps.incrementAndGet();
                pod.ip(podNetwork + "." + (ip / 250) + "." + (ip % 250 + 2));
                String podName = pod.name();
                pod.readinessProbe(() -> readinessProbe.test(podName));
                pods.put(pod.name(), pod);
                event(name(current), "ReplicaSet", "Normal", "SuccessfulCreate", "Created pod: " + pod.name());
            }
            own.stream().skip(desired).forEach(pod -> pods.remove(pod.name()));
            long ready = pods.values().stream().filter(pod -> pod.owner().equals(name) && pod.ready()).count();
            long count = pods.values().stream().filter(pod -> pod.owner().equals(name)).count();
            JsonObject status = new JsonObject();
            status.addProperty("observedGeneration", metadata(deployment).get("generation").getAsLong());
            status.addProperty("replicas", count);
            status.addProperty("updatedReplicas", count);
            status.addProperty("readyReplicas", ready);
            status.addProperty("availableReplicas", ready);
            deployment.add("status", status);
        }
    }

    /**
     * The ReplicaSet of the Deployment's pod template, made or brought back as the newest revision, with the
     * Deployment's annotations copied in as the real controller copies them: added and overwritten, never removed.
     */
    private JsonObject currentReplicaSet(JsonObject deployment) {
        String name = name(deployment);
        JsonObject template = deployment.getAsJsonObject("spec").getAsJsonObject("template");
        String hash = Integer.toString(template.toString().hashCode() & 0x7fffffff, 36);
        String rsName = name + "-" + hash;
        long newest = replicaSets.values().stream().filter(rs -> owner(rs).equals(name))
                .mapToLong(FakeKubernetes::revision).max().orElse(0);
        JsonObject rs = replicaSets.get(rsName);
        if (rs == null) {
            rs = object("apps/v1", "ReplicaSet", rsName);
            JsonObject meta = metadata(rs);
            meta.addProperty("namespace", NAMESPACE);
            JsonObject labels = template.getAsJsonObject("metadata").getAsJsonObject("labels").deepCopy();
            labels.addProperty("pod-template-hash", hash);
            meta.add("labels", labels);
            meta.add("annotations", new JsonObject());
            JsonArray owners = new JsonArray();
            JsonObject owner = new JsonObject();
            owner.addProperty("apiVersion", "apps/v1");
            owner.addProperty("kind", "Deployment");
            owner.addProperty("name", name);
            owner.addProperty("uid", metadata(deployment).get("uid").getAsString());
            owner.addProperty("controller", true);
            owners.add(owner);
            meta.add("ownerReferences", owners);
            JsonObject spec = new JsonObject();
            JsonObject rsTemplate = template.deepCopy();
            rsTemplate.getAsJsonObject("metadata").getAsJsonObject("labels").addProperty("pod-template-hash", hash);
            spec.add("template", rsTemplate);
            rs.add("spec", spec);
            replicaSets.put(rsName, rs);
        }
        JsonObject annotations = metadata(rs).getAsJsonObject("annotations");
        if (revision(rs) < newest || revision(rs) == 0) {
            annotations.addProperty("deployment.kubernetes.io/revision", String.valueOf(newest + 1));
        }
        JsonObject source = metadata(deployment).getAsJsonObject("annotations");
        if (source != null) {
            source.entrySet().stream().filter(a -> !NOT_COPIED.contains(a.getKey()))
                    .forEach(a -> annotations.add(a.getKey(), a.getValue()));
        }
        if (source == null) {
            source = new JsonObject();
            metadata(deployment).add("annotations", source);
        }
        source.add("deployment.kubernetes.io/revision", annotations.get("deployment.kubernetes.io/revision"));
        return rs;
    }

    private static long revision(JsonObject replicaSet) {
        JsonElement revision = metadata(replicaSet).getAsJsonObject("annotations").get("deployment.kubernetes.io/revision");
        return revision == null ? 0 : Long.parseLong(revision.getAsString());
    }

    private static String owner(JsonObject replicaSet) {
        return metadata(replicaSet).getAsJsonArray("ownerReferences").get(0).getAsJsonObject().get("name").getAsString();
    }

    private MockResponse events(String fieldSelector) {
        Map<String, String> wanted = new HashMap<>();
        if (fieldSelector != null && !fieldSelector.isBlank()) {
            for (String requirement : fieldSelector.split(",")) {
                String[] keyValue = requirement.split("==?", 2);
                if (!List.of("involvedObject.kind", "involvedObject.name", "involvedObject.namespace", "reason", "type")
                        .contains(keyValue[0])) {
                    return status(400, "BadRequest", "field label not supported: " + keyValue[0]);
                }
                wanted.put(keyValue[0], keyValue[1]);
            }
        }
        return list("EventList", "v1", events.stream().filter(event -> wanted.entrySet().stream().allMatch(w -> {
            String[] path = w.getKey().split("\\.");
            JsonObject at = path.length == 2 ? event.getAsJsonObject(path[0]) : event;
            return at.has(path[path.length - 1]) && at.get(path[path.length - 1]).getAsString().equals(w.getValue());
        })).toList());
    }

    private MockResponse execUpgrade(RecordedRequest request) {
        List<String> command = request.getUrl().queryParameterValues("command");
        Function<List<String>, ExecAnswer> answers = exec;
        return new MockResponse.Builder().webSocketUpgrade(new WebSocketListener() {
            @Override
            public void onOpen(WebSocket socket, Response response) {
                // a command takes a moment to run (addressbook's ping starts a JVM): answer from another thread, and
                // work the answer out there too, so a test's answer that runs a real command holds up no other request
                CompletableFuture.delayedExecutor(execTime.toMillis(),
                        TimeUnit.MILLISECONDS).execute(() -> answer(socket));
            }

            private void answer(WebSocket socket) {
                ExecAnswer answer = answers.apply(command);
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

    private void event(String object, String kind, String type, String reason, String message) {
        JsonObject event = new JsonObject();
        JsonObject meta = new JsonObject();
        meta.addProperty("name", object + "." + names.incrementAndGet());
        meta.addProperty("namespace", NAMESPACE);
        event.add("metadata", meta);
        JsonObject involved = new JsonObject();
        involved.addProperty("kind", kind);
        involved.addProperty("name", object);
        involved.addProperty("namespace", NAMESPACE);
        event.add("involvedObject", involved);
        event.addProperty("type", type);
        event.addProperty("reason", reason);
        event.addProperty("message", message);
        event.addProperty("lastTimestamp", now());
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

    private static MockResponse list(String kind, String apiVersion, List<JsonObject> items) {
        JsonObject list = new JsonObject();
        list.addProperty("kind", kind);
        list.addProperty("apiVersion", apiVersion);
        list.add("metadata", new JsonObject());
        JsonArray array = new JsonArray();
        items.forEach(array::add);
        list.add("items", array);
        return json(200, list);
    }

    private static MockResponse notFound(String resource, String name) {
        return status(404, "NotFound", resource + " \"" + name + "\" not found");
    }

    /** A {@code Status} body as the API server sends with every failure. */
    private static MockResponse status(int code, String reason, String message) {
        JsonObject status = new JsonObject();
        status.addProperty("kind", "Status");
        status.addProperty("apiVersion", "v1");
        status.add("metadata", new JsonObject());
        status.addProperty("status", code < 400 ? "Success" : "Failure");
        if (message != null) {
            status.addProperty("message", message);
        }
        if (code >= 400) {
            status.addProperty("reason", reason);
        }
        status.addProperty("code", code);
        return json(code, status);
    }

    private static MockResponse json(int code, Object body) {
        String text = body instanceof String s ? s : GSON.toJson(body);
        return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json").body(text).build();
    }

    private String now() {
        return clock.now().truncatedTo(ChronoUnit.SECONDS).toString();
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

    private static JsonArray containers(JsonObject deployment) {
        return deployment.getAsJsonObject("spec").getAsJsonObject("template").getAsJsonObject("spec")
                .getAsJsonArray("containers");
    }

    private static String decode(String query) {
        return URLDecoder.decode(query, StandardCharsets.UTF_8);
    }
}
