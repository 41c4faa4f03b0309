package io.microcanary.deployer.release;

import io.kubernetes.client.openapi.models.V1Pod;
import io.microcanary.deployer.cluster.Cluster;
import io.microcanary.deployer.cluster.Pods;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What proves a canary pod works before it takes its share of traffic. addressbook runs the tutorial's
 * {@code ping} (the database answers) and {@code migrate} (the schema is at this version) inside the canary, as
 * {@code kubectl exec} would; every other service must answer its readiness endpoint through the pod proxy.
 */
final class SmokeChecks {

    private static final Duration EXEC_TIMEOUT = Duration.ofSeconds(60);
    private static final Map<String, List<List<String>>> EXEC_CHECKS = Map.of(
            "addressbook", List.of(command("ping"), command("migrate")));

    private final Cluster cluster;
    private final PrintStream out;

    SmokeChecks(Cluster cluster, PrintStream out) {
        this.cluster = cluster;
        this.out = out;
    }

    /** The first failure, or empty when every check passed on every canary pod. */
    Optional<String> run(String service, List<V1Pod> canaryPods) {
        for (V1Pod pod : canaryPods) {
            String name = pod.getMetadata().getName();
            List<List<String>> commands = EXEC_CHECKS.get(service);
            Optional<String> failure = commands == null ? readiness(pod) : exec(name, commands);
            if (failure.isPresent()) {
                return failure;
            }
        }
        return Optional.empty();
    }

    private Optional<String> exec(String pod, List<List<String>> commands) {
        for (List<String> command : commands) {
            String verb = command.get(command.size() - 1);
            Cluster.ExecResult result = cluster.exec(pod, Pods.APP_CONTAINER, command, EXEC_TIMEOUT);
            if (!result.succeeded()) {
                return Optional.of(String.format("smoke check '%s' failed in %s (exit %d): %s", verb, pod,
                        result.exitCode(), lastLine(result.stderr() + "\n" + result.stdout())));
            }
            out.printf("smoke check '%s' passed in %s: %s%n", verb, pod, lastLine(result.stdout()));
        }
        return Optional.empty();
    }

    private Optional<String> readiness(V1Pod pod) {
        String name = pod.getMetadata().getName();
        try {
            String body = cluster.proxyGet(name, Pods.appPort(pod), "/health/readiness");
            out.printf("smoke check 'readiness' passed in %s: %s%n", name, body.strip());
            return Optional.empty();
        } catch (RuntimeException e) {
            return Optional.of("smoke check 'readiness' failed in " + name + ": " + e.getMessage());
        }
    }

    /**
     * The command's verdict: the last line it printed. The CLI logs as it starts (Micronaut, Flyway), and those lines
     * would bury the one that says whether the check passed.
     */
    static String lastLine(String output) {
        String[] lines = output.strip().split("\n");
        for (int i = lines.length - 1; i >= 0; i--) {
            if (!lines[i].isBlank()) {
                return lines[i].strip();
            }
        }
        return "(no output)";
    }

    /**
     * A second JVM inside the service's 256Mi pod (a small heap, the quick-starting compiler only), started as the
     * image starts the service: both image recipes (the Dockerfile's and Jib's) carry the same launch files.
     */
    static List<String> command(String verb) {
        return List.of("java", "-Xmx64m", "-XX:TieredStopAtLevel=1", "-cp", "@/app/jib-classpath-file",
                "@/app/jib-main-class-file", verb);
    }
}
