package io.microcanary.systemtests;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.microcanary.deployer.emulation.FakeKubernetes;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What stands behind the fake {@code kubectl port-forward} and {@code kubectl proxy} of the emulated cluster: they ask
 * here over HTTP before they hold the foreground, and stop being served when their process ends.
 *
 * <p>A port-forward to a pod that {@link PodProcesses} can run gets the local port served by that pod's real process.
 * As the real kubectl does, a forward to a Deployment or a Service picks one ready pod when it starts and sends every
 * connection there (it does not balance). A pod nothing runs for gets the old fake's behaviour: nothing listens.
 * {@code kubectl proxy} gets its port relayed to the emulated API server, as the real one relays it to the cluster's.
 */
final class PortForwards implements AutoCloseable {

    private final FakeKubernetes kubernetes;
    private final PodProcesses pods;
    private final ClusterCommands commands;
    private final int apiServerPort;
    private final Map<String, JsonObject> services;
    private final HttpServer control;
    private final List<ServerSocket> listeners = new ArrayList<>();

    PortForwards(FakeKubernetes kubernetes, PodProcesses pods, ClusterCommands commands, Map<String, JsonObject> services)
            throws IOException {
        this.kubernetes = kubernetes;
        this.commands = commands;
        this.apiServerPort = URI.create(kubernetes.baseUrl()).getPort();
        this.pods = pods;
        this.services = services;
        control = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        control.createContext("/port-forward", this::portForward);
        control.createContext("/proxy", this::proxy);
        control.createContext("/kubectl", exchange -> answer(exchange, (pid, args) -> commands.run(args)));
        control.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        control.start();
    }

    /** Where the fake kubectl asks ({@code FAKE_CLUSTER}). */
    String url() {
        return "http://127.0.0.1:" + control.getAddress().getPort();
    }

    private interface Verb {
        String run(long pid, List<String> args) throws IOException;
    }

    private void portForward(HttpExchange exchange) throws IOException {
        answer(exchange, this::forward);
    }

    private void proxy(HttpExchange exchange) throws IOException {
        answer(exchange, this::proxy);
    }

    /** How the fake kubectl joins its arguments, so one with spaces or newlines ({@code sh -c '...'}) stays whole. */
    private static final String ARGUMENT_SEPARATOR = "\u001f";

    /** {@code pid} (the kubectl process) and {@code args} (its arguments): 200 served, 204 not served, 4xx refused. */
    private void answer(HttpExchange exchange, Verb verb) throws IOException {
        Map<String, String> form = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        int code;
        String answer;
        try {
            answer = verb.run(Long.parseLong(form.get("pid")), List.of(form.get("args").split(ARGUMENT_SEPARATOR)));
            code = answer.isEmpty() ? 204 : 200;
        } catch (Refused | ClusterCommands.Refused refused) {
            code = 404;
            answer = refused.getMessage() + "\n";
        } catch (RuntimeException | IOException e) {
            code = 500;
            answer = "error: " + e + "\n";
        }
        byte[] body = answer.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(code, code == 204 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private String forward(long pid, List<String> args) throws IOException {
        int verb = args.indexOf("port-forward");
        List<String> operands = args.subList(verb + 1, args.size()).stream().filter(a -> !a.startsWith("-")).toList();
        String target = operands.get(0);
        String pod = pod(target);
        if (pods.runnable(pod).isEmpty()) {
            return "";
        }
        Map<Integer, String> localToPod = new java.util.LinkedHashMap<>();
        for (String ports : operands.subList(1, operands.size())) {
            String[] localRemote = ports.split(":");
            localToPod.put(Integer.parseInt(localRemote[0]), containerPort(target, pod, localRemote[localRemote.length - 1]));
        }
        // the port listens at once, as kubectl's does; a connection waits until the pod's process has started
        CompletableFuture<Integer> process = pods.process(pod).thenApply(ServiceProcess::port);
        StringBuilder printed = new StringBuilder();
        for (var forwarded : localToPod.entrySet()) {
            int local = forwarded.getKey();
            relay(pid, local, process);
            printed.append("Forwarding from 127.0.0.1:").append(local).append(" -> ")
                    .append(forwarded.getValue()).append('\n');
        }
        return printed.toString();
    }

    /** {@code kubectl proxy [--port N]}: the port (8001 unless given) relayed to the API server. */
    private String proxy(long pid, List<String> args) throws IOException {
        int port = 8001;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.startsWith("--port=")) {
                port = Integer.parseInt(arg.substring("--port=".length()));
            } else if ((arg.equals("--port") || arg.equals("-p")) && i + 1 < args.size()) {
                port = Integer.parseInt(args.get(i + 1));
            }
        }
        relay(pid, port, CompletableFuture.completedFuture(apiServerPort));
        return "Starting to serve on 127.0.0.1:" + port + "\n";
    }

    /** Serves {@code local} by relaying each connection to {@code target}, until the kubectl process {@code pid} ends. */
    private void relay(long pid, int local, CompletableFuture<Integer> target) throws IOException {
        ServerSocket listener = new ServerSocket(local, 50, InetAddress.getLoopbackAddress());
        synchronized (this) {
            listeners.add(listener);
        }
        daemon(() -> accept(listener, target));
        ProcessHandle.of(pid).ifPresentOrElse(kubectl -> kubectl.onExit().thenRun(() -> closeQuietly(listener)),
                () -> closeQuietly(listener));
    }

    /** The pod's port a forwarded port reaches: a Service's port goes to its target port, by number or name. */
    private String containerPort(String target, String pod, String remote) {
        if (!target.startsWith("svc/") && !target.startsWith("service/")) {
            return remote;
        }
        String name = target.substring(target.indexOf('/') + 1);
        for (JsonElement element : services.get(name).getAsJsonObject("spec").getAsJsonArray("ports")) {
            JsonObject port = element.getAsJsonObject();
            if (port.get("port").getAsString().equals(remote)) {
                String targetPort = port.get("targetPort").getAsString();
                for (JsonElement c : kubernetes.pod(pod).getAsJsonObject("spec").getAsJsonArray("containers").get(0)
                        .getAsJsonObject().getAsJsonArray("ports")) {
                    if (c.getAsJsonObject().get("name").getAsString().equals(targetPort)) {
                        return c.getAsJsonObject().get("containerPort").getAsString();
                    }
                }
                return targetPort;
            }
        }
        throw new Refused("error: Service " + name + " does not have a service port " + remote);
    }

    /** The one pod a port-forward to {@code target} reaches: the first ready pod of its selector, as kubectl picks. */
    private String pod(String target) {
        String[] kindName = target.contains("/") ? target.split("/", 2) : new String[] {"pod", target};
        String name = kindName[1];
        Map<String, String> selector;
        switch (kindName[0]) {
            case "pod", "pods", "po" -> {
                if (kubernetes.pod(name) == null) {
                    throw new Refused("Error from server (NotFound): pods \"" + name + "\" not found");
                }
                return name;
            }
            case "deployment", "deployments", "deploy" -> {
                JsonObject deployment = kubernetes.deployment(name);
                if (deployment == null) {
                    throw new Refused("Error from server (NotFound): deployments.apps \"" + name + "\" not found");
                }
                selector = strings(deployment.getAsJsonObject("spec").getAsJsonObject("selector")
                        .getAsJsonObject("matchLabels"));
            }
            case "svc", "service", "services" -> {
                JsonObject service = services.get(name);
                if (service == null) {
                    throw new Refused("Error from server (NotFound): services \"" + name + "\" not found");
                }
                selector = strings(service.getAsJsonObject("spec").getAsJsonObject("selector"));
            }
            default -> throw new Refused("error: the server doesn't have a resource type \"" + kindName[0] + "\"");
        }
        return kubernetes.podNames().stream().filter(pod -> matches(kubernetes.pod(pod), selector))
                .filter(pod -> ready(kubernetes.pod(pod))).findFirst()
                .orElseThrow(() -> new Refused("error: timed out waiting for the condition"));
    }

    private static void accept(ServerSocket listener, CompletableFuture<Integer> target) {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                daemon(() -> connect(client, target));
            } catch (IOException closed) {
                // the kubectl process ended
            }
        }
    }

    private static void connect(Socket client, CompletableFuture<Integer> target) {
        try {
            Socket backend = new Socket(InetAddress.getLoopbackAddress(), target.get(120, TimeUnit.SECONDS));
            daemon(() -> pump(client, backend));
            daemon(() -> pump(backend, client));
        } catch (IOException | ExecutionException | TimeoutException e) {
            // as with kubectl, the client sees its connection dropped
            closeQuietly(client);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeQuietly(client);
        }
    }

    private static void daemon(Runnable work) {
        Thread thread = new Thread(work, "port-forward");
        thread.setDaemon(true);
        thread.start();
    }

    private static void pump(Socket from, Socket to) {
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            in.transferTo(out);
        } catch (IOException ended) {
            // either side closed
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static boolean ready(JsonObject pod) {
        for (JsonElement condition : pod.getAsJsonObject("status").getAsJsonArray("conditions")) {
            JsonObject c = condition.getAsJsonObject();
            if (c.get("type").getAsString().equals("Ready")) {
                return c.get("status").getAsString().equals("True");
            }
        }
        return false;
    }

    private static boolean matches(JsonObject pod, Map<String, String> selector) {
        return selector.entrySet().stream().allMatch(e -> e.getValue().equals(label(pod, e.getKey())));
    }

    private static String label(JsonObject pod, String name) {
        return PodProcesses.label(pod, name);
    }

    private static Map<String, String> strings(JsonObject object) {
        Map<String, String> map = new HashMap<>();
        object.entrySet().forEach(e -> map.put(e.getKey(), e.getValue().getAsString()));
        return map;
    }

    private static Map<String, String> form(String body) {
        Map<String, String> form = new HashMap<>();
        Arrays.stream(body.split("&")).map(pair -> pair.split("=", 2)).filter(pair -> pair.length == 2)
                .forEach(pair -> form.put(pair[0], URLDecoder.decode(pair[1], StandardCharsets.UTF_8)));
        return form;
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // closing on the way out
        }
    }

    /** What kubectl prints when it refuses a port-forward. */
    private static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message);
        }
    }

    @Override
    public synchronized void close() {
        control.stop(0);
        listeners.forEach(PortForwards::closeQuietly);
    }
}
