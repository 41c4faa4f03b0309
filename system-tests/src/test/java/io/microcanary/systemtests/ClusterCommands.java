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
 *   <li>{@code scale statefulset postgres --replicas N}: the emulation holds no StatefulSets, but the cluster's
 *       database is a real PostgreSQL ({@link ClusterDatabase}): 0 stops it, 1 starts it again with its data.</li>
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
        int verb = operands.indexOf("get") >= 0 ? operands.indexOf("get") : operands.indexOf("scale");
        if (verb < 0 || verb + 1 >= operands.size()) {
            return "";
        }
        List<String> rest = operands.subList(verb + 1, operands.size());
        if (operands.get(verb).equals("get") && List.of("endpoints", "ep").contains(rest.get(0)) && rest.size() == 2) {
            return endpoints(rest.get(1));
        }
        if (operands.get(verb).equals("scale") && (rest.get(0).equals("statefulset/postgres")
                || rest.size() > 1 && List.of("statefulset", "sts").contains(rest.get(0)) && rest.get(1).equals("postgres"))) {
            return scalePostgres(replicas(args));
        }
        return "";
    }

    /** {@code exec <deployment/name|pod> -- <command>} in an addressbook pod: the real command against the real database. */
    private String exec(String target, List<String> command) {
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

    private String scalePostgres(int replicas) {
        if (replicas == 0) {
            database.stop();
        } else {
            database.start();
        }
        return "statefulset.apps/postgres scaled\n";
    }

    private static int replicas(List<String> args) {
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).startsWith("--replicas=")) {
                return Integer.parseInt(args.get(i).substring("--replicas=".length()));
            }
            if (args.get(i).equals("--replicas") && i + 1 < args.size()) {
                return Integer.parseInt(args.get(i + 1));
            }
        }
        throw new Refused("error: required flag(s) \"replicas\" not set");
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
