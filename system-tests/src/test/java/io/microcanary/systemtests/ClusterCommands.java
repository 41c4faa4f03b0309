package io.microcanary.systemtests;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.microcanary.deployer.emulation.FakeKubernetes;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The few kubectl commands of the docs that the emulated API server cannot answer through the real kubectl (it has
 * no discovery or server-side printing), answered from the emulation's state in kubectl's words:
 * <ul>
 *   <li>{@code get endpoints <service>}: kubectl's table of the Endpoints the emulation derives from pod readiness
 *       (ready addresses only, three at most and then {@code + N more...}, {@code <none>} for none);</li>
 *   <li>{@code exec <addressbook pod or deployment> -- … ping|migrate}: the real command ({@link ClusterDatabase});</li>
 *   <li>{@code exec postgres-0 -- sh -c <script>}: the script, against the cluster's real PostgreSQL;</li>
 *   <li>{@code get pods -l <selector> -o jsonpath=…} and {@code get pod <name> -o jsonpath=…}: the emulation's pods;</li>
 * </ul>
 * Anything else is left to the recorded fake (an empty answer).
 */
final class ClusterCommands {

    private final FakeKubernetes kubernetes;
    private final ClusterDatabase database;
    private final Instant created = Instant.now();
    /** The images the rendered manifests name: what stable runs before any release. */
    private final java.util.Set<String> manifestImages;

    ClusterCommands(FakeKubernetes kubernetes, ClusterDatabase database, java.util.Set<String> manifestImages) {
        this.kubernetes = kubernetes;
        this.database = database;
        this.manifestImages = manifestImages;
    }

    /** What kubectl prints for {@code args} (after {@code -n <namespace>}), or empty for the recorded fake to answer. */
    String run(List<String> args) {
        List<String> operands = args.stream().filter(a -> !a.startsWith("-")).toList();
        int exec = args.indexOf("exec");
        if (exec >= 0 && exec < args.indexOf("--")) {
            return exec(args.get(exec + 1), args.subList(args.indexOf("--") + 1, args.size()));
        }
        int verb = operands.indexOf("get");
        if (verb < 0 || verb + 1 >= operands.size()) {
            return "";
        }
        if (List.of("pods", "pod", "po").contains(operands.get(verb + 1))) {
            return pods(args);
        }
        List<String> rest = operands.subList(verb + 1, operands.size());
        if (List.of("endpoints", "ep").contains(rest.get(0)) && rest.size() == 2) {
            return endpoints(rest.get(1));
        }
        return "";
    }

    /** {@code exec <deployment/name|pod> -- <command>} in an addressbook pod: the real command against the real database. */
    private String exec(String target, List<String> command) {
        if (target.equals("postgres-0") || target.equals("statefulset/postgres")) {
            return postgresShell(command);
        }
        String pod = target;
        if (target.startsWith("deployment/") || target.startsWith("deploy/")) {
            String name = target.substring(target.indexOf('/') + 1);
            JsonObject deployment = kubernetes.deployment(name);
            if (deployment == null) {
                throw new Refused("Error from server (NotFound): deployments.apps \"" + name + "\" not found");
            }
            JsonObject selector = deployment.getAsJsonObject("spec").getAsJsonObject("selector").getAsJsonObject("matchLabels");
            pod = kubernetes.podNames().stream().filter(p -> selector.entrySet().stream().allMatch(label ->
                    label.getValue().getAsString().equals(PodProcesses.label(kubernetes.pod(p), label.getKey()))))
                    .findFirst().orElseThrow(() -> new Refused("error: no pods found for " + target));
        }
        JsonObject json = kubernetes.pod(pod);
        if (json == null) {
            throw new Refused("Error from server (NotFound): pods \"" + pod + "\" not found");
        }
        if (!"addressbook".equals(PodProcesses.label(json, "app"))) {
            return "";
        }
        String image = json.getAsJsonObject("spec").getAsJsonArray("containers").get(0).getAsJsonObject()
                .get("image").getAsString();
        FakeKubernetes.ExecAnswer answer = database.exec(command, manifestImages.contains(image));
        if (answer.exitCode() != 0) {
            throw new Refused(answer.stdout() + "command terminated with exit code " + answer.exitCode());
        }
        return answer.stdout();
    }

    /** {@code exec postgres-0 -- sh -c <script>}: the emulation's database is a real PostgreSQL ({@link ClusterDatabase#shell}). */
    private String postgresShell(List<String> command) {
        if (command.size() != 3 || !command.get(0).equals("sh") || !command.get(1).equals("-c")) {
            throw new Refused("the emulated postgres-0 runs only 'sh -c <script>', not " + command);
        }
        try {
            FakeKubernetes.ExecAnswer answer = database.shell(command.get(2));
            if (answer.exitCode() != 0) {
                throw new Refused(answer.stdout() + "command terminated with exit code " + answer.exitCode());
            }
            return answer.stdout();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * {@code get pods -l <selector> -o jsonpath=<template>} and {@code get pod <name> -o jsonpath=<template>}: the
     * emulation's pods (sorted by name, as the API server lists them) through {@link JsonPathTemplate}. Other
     * output formats are kubectl's server-side tables, which the emulation does not print.
     */
    private String pods(List<String> args) {
        String output = option(args, "-o", "--output");
        if (output == null || !output.startsWith("jsonpath=")) {
            throw new Refused("the emulated cluster answers 'get pods' only with -o jsonpath=..., not " + args);
        }
        String selector = option(args, "-l", "--selector");
        List<String> operands = args.stream().filter(a -> !a.startsWith("-")).toList();
        int kind = operands.indexOf("get") + 1;
        List<String> names = operands.subList(kind + 1, operands.size()).stream()
                .filter(name -> !name.equals(selector) && !name.equals(output)).toList();
        JsonElement subject;
        synchronized (kubernetes) {
            if (names.size() == 1) {
                JsonObject pod = kubernetes.pod(names.get(0));
                if (pod == null) {
                    throw new Refused("Error from server (NotFound): pods \"" + names.get(0) + "\" not found");
                }
                subject = pod;
            } else {
                com.google.gson.JsonArray items = new com.google.gson.JsonArray();
                kubernetes.podNames().stream().sorted().map(kubernetes::pod)
                        .filter(pod -> pod != null && selects(selector, pod)).forEach(items::add);
                JsonObject list = new JsonObject();
                list.addProperty("apiVersion", "v1");
                list.addProperty("kind", "List");
                list.add("items", items);
                subject = list;
            }
        }
        return JsonPathTemplate.render(output.substring("jsonpath=".length()), subject);
    }

    private static boolean selects(String selector, JsonObject pod) {
        if (selector == null) {
            return true;
        }
        for (String requirement : selector.split(",")) {
            String[] keyValue = requirement.split("=", 2);
            if (keyValue.length != 2 || !keyValue[1].equals(PodProcesses.label(pod, keyValue[0]))) {
                return false;
            }
        }
        return true;
    }

    /** The value of {@code -o x}, {@code -o=x}, {@code -ox} or {@code --output=x} style options. */
    private static String option(List<String> args, String shortName, String longName) {
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if ((arg.equals(shortName) || arg.equals(longName)) && i + 1 < args.size()) {
                return args.get(i + 1);
            }
            for (String prefix : List.of(longName + "=", shortName + "=", shortName)) {
                if (arg.startsWith(prefix) && arg.length() > prefix.length()) {
                    return arg.substring(prefix.length());
                }
            }
        }
        return null;
    }

    private String endpoints(String service) {
        JsonObject endpoints = kubernetes.endpoints(service);
        if (endpoints == null) {
            throw new Refused("Error from server (NotFound): endpoints \"" + service + "\" not found");
        }
        List<String> ready = new ArrayList<>();
        if (endpoints.has("subsets")) {
            for (JsonElement element : endpoints.getAsJsonArray("subsets")) {
                JsonObject subset = element.getAsJsonObject();
                if (!subset.has("addresses")) {
                    continue;
                }
                for (JsonElement address : subset.getAsJsonArray("addresses")) {
                    for (JsonElement port : subset.getAsJsonArray("ports")) {
                        ready.add(address.getAsJsonObject().get("ip").getAsString() + ":"
                                + port.getAsJsonObject().get("port").getAsString());
                    }
                }
            }
        }
        String shown = ready.isEmpty() ? "<none>" : String.join(",", ready.subList(0, Math.min(3, ready.size())))
                + (ready.size() > 3 ? " + " + (ready.size() - 3) + " more..." : "");
        int width = Math.max("NAME".length(), service.length()) + 3;
        int endpointsWidth = Math.max("ENDPOINTS".length(), shown.length()) + 3;
        return String.format("%-" + width + "s%-" + endpointsWidth + "s%s%n", "NAME", "ENDPOINTS", "AGE")
                + String.format("%-" + width + "s%-" + endpointsWidth + "s%s%n", service, shown, age());
    }

    private String age() {
        Duration age = Duration.between(created, Instant.now());
        return age.toMinutes() > 0 ? age.toMinutes() + "m" : age.toSeconds() + "s";
    }

    /** What kubectl prints when it refuses a command. */
    static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message);
        }
    }
}
