package io.microcanary.systemtests;

import io.microcanary.deployer.analysis.MetricsText;
import io.microcanary.deployer.emulation.FakeKubernetes;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where the docs' cluster commands run: an emulated API server holding the minikube overlay's Deployments, a
 * kubeconfig for it, and the recorded fakes of minikube, kubectl and docker that the script tests use. Pods serve
 * steady traffic figures through the pod proxy; a pod with {@code FAULT_ERROR_RATE} set fails 30% of it, as
 * sava-product does with that switch on. addressbook's smoke checks run its real jar against a real PostgreSQL
 * ({@link ClusterDatabase}). Pods of sava-product and addressbook are backed by real processes of their jars
 * ({@link PodProcesses}), which the service proxy, {@code kubectl port-forward} and {@code kubectl proxy} reach
 * ({@link PortForwards}) and whose readiness the emulated kubelet reports.
 */
final class FakeCluster implements AutoCloseable {

    private final FakeKubernetes kubernetes;
    private final ClusterDatabase database;
    private final PodProcesses pods;
    private final PortForwards forwards;
    private final Path state;
    private final Map<String, String> environment = new HashMap<>();
    /** The project's version as the scripts tag images with it (scripts/lib.sh). */
    private final String version;
    private final Map<String, Integer> scrapes = new ConcurrentHashMap<>();

    FakeCluster(Path root) throws IOException, InterruptedException {
        kubernetes = new FakeKubernetes();
        kubernetes.podNetwork("127.244"); // loopback addresses: a pod's process connects from its own (ClusterDatabase)
        String manifests = rendered(root);
        kubernetes.givenManifests(manifests);
        kubernetes.proxy((pod, path) -> path.equals("/prometheus") ? metrics(pod) : "{\"status\":\"UP\"}");
        state = Files.createTempDirectory("fake-cluster-");
        database = new ClusterDatabase(root, state);
        // addressbook's ping and migrate, run for real against the cluster's database
        kubernetes.exec(database::exec);
        pods = new PodProcesses(kubernetes, database);
        kubernetes.podHttp(pods::http);
        kubernetes.readinessProbe(pods::ready);
        // stable's image before any release: an exec there runs the jar without the release's migration
        forwards = new PortForwards(kubernetes, pods, new ClusterCommands(kubernetes, database,
                java.util.Set.of(kubernetes.image("addressbook"))), services(manifests));
        environment.put("FAKE_CLUSTER", forwards.url());
        // under the emulated cluster curl is real: forwarded ports of pods it runs answer (see PortForwards)
        environment.put("FAKE_REAL_CURL", realCurl());
        Files.createFile(state.resolve("minikube-started"));
        Path fakes = root.resolve("scripts/src/test/resources/fakes");
        environment.put("PATH", fakes + ":" + System.getenv("PATH"));
        environment.put("FAKE_LOG", Files.createFile(state.resolve("calls.log")).toString());
        environment.put("FAKE_STATE", state.toString());
        environment.put("KUBECONFIG", kubernetes.writeKubeconfig(state.resolve("kubeconfig")).toString());
        environment.put("SKIP_JAR_BUILD", "1");
        version = java.util.regex.Pattern.compile("(?m)^VERSION=(\\S+)$").matcher(Files.readString(
                root.resolve("scripts/lib.sh"))).results().findFirst().orElseThrow().group(1);
        // the scripts' records of built images go here, not into the checkout's .run-local
        environment.put("MICRO_CANARY_STATE", Files.createDirectories(state.resolve("run-local")).toString());
        environment.put("ANALYSIS_WINDOW", "2s");
        environment.put("TRAFFIC_REQUESTS", "3");
    }

    Map<String, String> environment() {
        return environment;
    }

    /**
     * The environment of a block that releases a commit the reader was asked to make: the scripts tag its images as
     * that commit's ({@code IMAGE_TAG}), so the canary runs a newer image than stable, as it would for the reader.
     */
    Map<String, String> environment(String commit) {
        if (commit == null) {
            return environment;
        }
        if (!commit.matches("[0-9a-f]{7}")) {
            throw new IllegalArgumentException("commit=\"" + commit + "\" is not a short commit hash");
        }
        Map<String, String> released = new HashMap<>(environment);
        released.put("IMAGE_TAG", version + "-" + commit);
        return released;
    }

    private String metrics(String pod) {
        int n = scrapes.merge(pod, 1, Integer::sum);
        var json = kubernetes.pod(pod);
        boolean faulty = json != null && json.toString().contains("FAULT_ERROR_RATE");
        return faulty ? MetricsText.of(70L * n, 30L * n, 0.004) : MetricsText.of(100L * n, 0, 0.004);
    }

    private static String rendered(Path root) throws IOException, InterruptedException {
        run(root, "bash", "scripts/k8s-secrets.sh");
        return run(root, "kubectl", "kustomize", "k8s/overlays/minikube");
    }

    private static String run(Path root, String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(root.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed");
        }
        return output;
    }

    /** The Services of the rendered manifests by name, as JSON, for what a port-forward to {@code svc/…} reaches. */
    private static Map<String, com.google.gson.JsonObject> services(String manifests) {
        Map<String, com.google.gson.JsonObject> services = new HashMap<>();
        for (Object document : new org.yaml.snakeyaml.Yaml().loadAll(manifests)) {
            if (document instanceof Map<?, ?> object && "Service".equals(object.get("kind"))) {
                com.google.gson.JsonObject json = new com.google.gson.Gson().toJsonTree(object).getAsJsonObject();
                services.put(json.getAsJsonObject("metadata").get("name").getAsString(), json);
            }
        }
        return services;
    }

    private static String realCurl() {
        return java.util.stream.Stream.of(System.getenv("PATH").split(":")).map(dir -> Path.of(dir, "curl"))
                .filter(Files::isExecutable).findFirst().orElseThrow(() -> new IllegalStateException("no curl on PATH"))
                .toString();
    }

    @Override
    public void close() throws IOException {
        forwards.close();
        pods.close();
        kubernetes.close();
        database.close();
    }
}
