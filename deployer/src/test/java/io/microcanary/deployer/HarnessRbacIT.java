package io.microcanary.deployer;

import io.microcanary.deployer.analysis.MetricsText;
import io.microcanary.deployer.emulation.Behaviour;
import io.microcanary.deployer.emulation.FakeKubernetes;
import io.microcanary.deployer.emulation.Harness;
import io.microcanary.deployer.release.CanaryRelease;
import io.microcanary.deployer.rollout.FakeTicker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;

import static io.microcanary.deployer.emulation.Deployments.stable;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The harness's Role (k8s/harness/rbac.yaml) grants exactly what its flows need. Every verb runs against the emulated
 * API server, which records what a real server's authorizer would check for each request; the Role must cover each
 * of those and grant nothing else. What this cannot see: requests of code paths no flow here takes.
 */
class HarnessRbacIT {

    private static final Path ROLE = Path.of("../k8s/harness/rbac.yaml");

    private FakeKubernetes k8s;
    private Harness canary;
    private final AtomicInteger scrapes = new AtomicInteger();

    @BeforeEach
    void cluster() throws IOException {
        k8s = new FakeKubernetes(new FakeTicker());
        k8s.behaviour(image -> image.endsWith(":crash") ? Behaviour.CRASH_LOOP : Behaviour.HEALTHY);
        k8s.proxy((pod, path) -> path.equals("/prometheus") ? MetricsText.of(100L * scrapes.incrementAndGet(), 0, 0.004)
                : "{\"status\":\"UP\"}");
        canary = new Harness(k8s, new CanaryRelease.Settings(Duration.ofSeconds(30), Duration.ofSeconds(5)));
    }

    @AfterEach
    void close() throws IOException {
        k8s.close();
    }

    @Test
    void theRoleGrantsExactlyWhatEveryVerbNeeds() throws IOException {
        String manifest = Path.of("src/test/resources/manifests/addressbook.yaml").toAbsolutePath().toString();
        run("deploy", "addressbook", "--manifests", manifest, "--replicas", "4");
        run("start", "addressbook", "--image", "micro-canary/addressbook:0.1.0-4f2a9c1");
        run("steps", "addressbook", "--weights", "50");
        run("analyze", "addressbook", "--window", "0s", "--min-requests", "0");
        run("status", "addressbook");
        run("status", "-o", "json");
        run("promote", "addressbook");
        k8s.givenDeployment(stable("sava-product", "micro-canary/sava-product:0.1.0-1a2b3c4", 2, 8080));
        run("start", "sava-product", "--image", "micro-canary/sava-product:0.1.0-4f2a9c1");
        run("abort", "sava-product");
        canary.run("start", "sava-product", "--image", "micro-canary/sava-product:crash"); // logs of a failing pod

        Set<String> needed = new TreeSet<>(k8s.accesses().stream().map(FakeKubernetes.Access::toString).toList());
        assertEquals(granted(), needed, "the Role in " + ROLE + " (left) against what the flows needed (right)");
    }

    private void run(String... args) {
        Harness.Result result = canary.run(args);
        assertEquals(0, result.exitCode(), result::toString);
    }

    @SuppressWarnings("unchecked")
    private static Set<String> granted() throws IOException {
        Set<String> granted = new TreeSet<>();
        for (Object document : new Yaml().loadAll(Files.readString(ROLE))) {
            Map<String, Object> object = (Map<String, Object>) document;
            if (!"Role".equals(object.get("kind"))) {
                continue;
            }
            for (Map<String, Object> rule : (List<Map<String, Object>>) object.get("rules")) {
                for (String group : (List<String>) rule.get("apiGroups")) {
                    for (String resource : (List<String>) rule.get("resources")) {
                        for (String verb : (List<String>) rule.get("verbs")) {
                            granted.add(new FakeKubernetes.Access(verb, group, resource).toString());
                        }
                    }
                }
            }
        }
        return granted;
    }
}
