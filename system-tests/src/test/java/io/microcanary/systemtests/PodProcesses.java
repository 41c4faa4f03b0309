package io.microcanary.systemtests;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.microcanary.deployer.emulation.FakeKubernetes;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Real processes standing for pods of the emulated cluster: this checkout's jar of the pod's {@code app}, started
 * when something first reaches the pod, with the pod's environment (its plain values, {@code APP_VERSION} and
 * {@code POD_NAME} from the downward API, and for addressbook the cluster's real database, reached from the pod's own
 * address), and stopped when the pod
 * is gone. Their readiness endpoint is probed every second, as the kubelet would (the manifests say every 5 s), and
 * the emulated API server takes the pod's readiness from it.
 *
 * <p>Only sava-product and addressbook run: the emulation has no kube-proxy or DNS, so a service that calls another
 * by name would reach nothing. Both tracks run the same jar (there are no images); only the version label and the
 * pod name tell them apart.
 */
final class PodProcesses implements AutoCloseable {

    private static final List<String> RUNNABLE = List.of("sava-product", "addressbook");
    /** Headers the JDK's client sets itself, and a compressed body this text-only relay would garble. */
    private static final Set<String> NOT_RELAYED = Set.of("host", "connection", "content-length", "expect", "upgrade",
            "accept-encoding", "transfer-encoding", "keep-alive");

    private final FakeKubernetes kubernetes;
    private final ClusterDatabase database;
    private final Map<String, CompletableFuture<ServiceProcess>> processes = new HashMap<>();
    private final java.util.concurrent.ExecutorService starter = Executors.newCachedThreadPool(work -> {
        Thread thread = new Thread(work, "pod-process-start");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<String, Boolean> ready = new ConcurrentHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ScheduledExecutorService prober = Executors.newSingleThreadScheduledExecutor(work -> {
        Thread thread = new Thread(work, "kubelet-readiness-probe");
        thread.setDaemon(true);
        return thread;
    });

    PodProcesses(FakeKubernetes kubernetes, ClusterDatabase database) {
        this.kubernetes = kubernetes;
        this.database = database;
        prober.scheduleWithFixedDelay(this::probe, 1, 1, TimeUnit.SECONDS);
    }

    /** The app a pod runs, if this class can run it. */
    Optional<String> runnable(String pod) {
        JsonObject json = kubernetes.pod(pod);
        String app = json == null ? null : label(json, "app");
        return RUNNABLE.contains(app) ? Optional.of(app) : Optional.empty();
    }

    /**
     * The process of a pod, starting now (in the background) if it is not running yet. The emulated API server's
     * lock is held only to read the pod, never while a JVM starts: the service proxy calls this holding it.
     */
    CompletableFuture<ServiceProcess> process(String pod) {
        synchronized (kubernetes) {
            processes.entrySet().removeIf(entry -> {
                boolean gone = kubernetes.pod(entry.getKey()) == null;
                if (gone) {
                    // stopping a JVM takes seconds: not while the API server's lock is held
                    entry.getValue().thenAcceptAsync(PodProcesses::close, starter);
                    ready.remove(entry.getKey());
                }
                return gone;
            });
            CompletableFuture<ServiceProcess> running = processes.get(pod);
            if (running != null) {
                return running;
            }
            String app = runnable(pod).orElseThrow(() -> new IllegalArgumentException("no process can stand for " + pod));
            Map<String, String> environment = environment(kubernetes.pod(pod));
            CompletableFuture<ServiceProcess> starting = CompletableFuture.supplyAsync(() -> {
                try {
                    if (app.equals("addressbook")) {
                        environment.putAll(database.environment(podIp(pod)));
                    }
                    return ServiceProcess.start(app, environment);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }, starter);
            processes.put(pod, starting);
            return starting;
        }
    }

    /** The pod's IP, which the emulated kubelet reports once the pod has started. */
    private String podIp(String pod) {
        return io.microcanary.testsupport.Poller.within(Duration.ofSeconds(30)).until("pod " + pod + " to have an IP", () -> {
            synchronized (kubernetes) {
                JsonObject json = kubernetes.pod(pod);
                JsonElement ip = json == null ? null : json.getAsJsonObject("status").get("podIP");
                return ip == null ? null : ip.getAsString();
            }
        }, java.util.Objects::nonNull, ip -> "none yet");
    }

    /** Starts the processes of every ready pod a Service selects, side by side, so none waits for the others. */
    void startAll(List<String> pods) {
        pods.stream().filter(pod -> runnable(pod).isPresent()).forEach(this::process);
    }

    /** What the kubelet's readiness probe last found; a pod without a process passes (its behaviour decides). */
    boolean ready(String pod) {
        return ready.getOrDefault(pod, true);
    }

    /** A request the service proxy passes on, sent to the pod's process; a pod nothing runs for answers 502. */
    FakeKubernetes.PodResponse http(FakeKubernetes.PodRequest request) {
        if (runnable(request.pod()).isEmpty()) {
            return new FakeKubernetes.PodResponse(502, Map.of("Content-Type", "text/plain"),
                    "the emulation runs no process for pod " + request.pod() + "\n");
        }
        try {
            String app = runnable(request.pod()).orElseThrow();
            startAll(kubernetes.podNames().stream().filter(pod -> kubernetes.pod(pod) != null
                    && app.equals(label(kubernetes.pod(pod), "app"))).toList());
            ServiceProcess process = process(request.pod()).get(120, TimeUnit.SECONDS);
            HttpRequest.Builder relayed = HttpRequest.newBuilder(URI.create(process.url() + request.path()
                    + (request.query() == null ? "" : "?" + request.query()))).timeout(Duration.ofSeconds(10))
                    .method(request.method(), HttpRequest.BodyPublishers.noBody());
            request.headers().forEach((name, value) -> {
                if (!NOT_RELAYED.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                    relayed.header(name, value);
                }
            });
            HttpResponse<String> answer = http.send(relayed.build(), HttpResponse.BodyHandlers.ofString());
            Map<String, String> headers = new LinkedHashMap<>();
            answer.headers().map().forEach((name, values) -> {
                if (!NOT_RELAYED.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                    headers.put(name, values.get(0));
                }
            });
            return new FakeKubernetes.PodResponse(answer.statusCode(), headers, answer.body());
        } catch (IOException | java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            return new FakeKubernetes.PodResponse(502, Map.of("Content-Type", "text/plain"),
                    "error trying to reach service: " + e.getMessage() + "\n");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void probe() {
        Map<String, ServiceProcess> now = new HashMap<>();
        synchronized (kubernetes) {
            processes.forEach((pod, starting) -> {
                if (starting.isDone() && !starting.isCompletedExceptionally()) {
                    now.put(pod, starting.join());
                }
            });
        }
        now.forEach((pod, process) -> {
            try {
                HttpResponse<Void> answer = http.send(HttpRequest.newBuilder(URI.create(process.url()
                        + "/health/readiness")).timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                ready.put(pod, answer.statusCode() >= 200 && answer.statusCode() < 400);
            } catch (IOException e) {
                ready.put(pod, false);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /** The container's environment as the kubelet would set it, but for Secrets (the emulation holds none). */
    private static Map<String, String> environment(JsonObject pod) {
        Map<String, String> environment = new HashMap<>();
        JsonObject container = pod.getAsJsonObject("spec").getAsJsonArray("containers").get(0).getAsJsonObject();
        if (!container.has("env")) {
            return environment;
        }
        for (JsonElement element : container.getAsJsonArray("env")) {
            JsonObject variable = element.getAsJsonObject();
            String name = variable.get("name").getAsString();
            if (variable.has("value")) {
                environment.put(name, variable.get("value").getAsString());
            } else if (variable.has("valueFrom") && variable.getAsJsonObject("valueFrom").has("fieldRef")) {
                String path = variable.getAsJsonObject("valueFrom").getAsJsonObject("fieldRef").get("fieldPath").getAsString();
                Optional.ofNullable(switch (path) {
                    case "metadata.name" -> pod.getAsJsonObject("metadata").get("name").getAsString();
                    case "metadata.labels['version']" -> label(pod, "version");
                    default -> null;
                }).ifPresent(value -> environment.put(name, value));
            }
        }
        return environment;
    }

    static String label(JsonObject pod, String name) {
        JsonElement value = pod.getAsJsonObject("metadata").getAsJsonObject("labels").get(name);
        return value == null ? null : value.getAsString();
    }

    private static void close(ServiceProcess process) {
        try {
            process.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        prober.shutdownNow();
        synchronized (kubernetes) {
            // one still starting is stopped as soon as it has started
            processes.values().forEach(starting -> starting.thenAccept(PodProcesses::close));
            processes.clear();
        }
        starter.shutdown();
    }
}
