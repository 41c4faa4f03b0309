package io.microcanary.scripts;

import io.microcanary.testsupport.Checkout;
import io.microcanary.testsupport.ServiceTable;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shell scripts, run for real with recorded fakes of minikube, kubectl and docker first on the PATH (the fake
 * kubectl renders with the real one), asserting the calls they make; and shellcheck over every script.
 */
class ScriptsTest {

    private static final Path FAKES = Path.of("src/test/resources/fakes").toAbsolutePath();
    private static final List<String> SERVICES = ServiceTable.modules();

    /** The tag every path must use: given through IMAGE_TAG, so that a path computing a tag of its own shows. */
    private static final String TAG = "0.1.0-c0ffee1-dirty-5ca1ab1e";

    private Path state;
    private Path log;

    @BeforeEach
    void freshFakes() throws IOException {
        state = Files.createTempDirectory("fakes-");
        log = state.resolve("calls.log");
        Files.createFile(log);
    }

    @Test
    void everyScriptIsShellcheckClean() throws Exception {
        Path root = Checkout.root();
        List<String> command = new ArrayList<>(List.of("shellcheck", "-x"));
        try (Stream<Path> files = Files.walk(root)) {
            files.filter(Files::isRegularFile)
                    .filter(f -> !f.toString().contains("/target/") && !f.toString().contains("/.git/"))
                    .filter(f -> f.toString().endsWith(".sh") || f.getFileName().toString().equals("build.sh")
                            || f.endsWith("report/report") || f.endsWith("deployer/canary") || f.endsWith(".ci/run") || f.startsWith(FAKES))
                    .forEach(f -> command.add(f.toString()));
        }
        assertTrue(command.size() > 15, "found the scripts: " + command);
        ProcessRun result = run(root, command, Map.of());
        assertEquals(0, result.exitCode(), result.output());
    }

    @Test
    void upStartsMinikubeBuildsEveryImageDeploysWithThisCommitsTagsAndWaits() throws Exception {
        ProcessRun up = minikubeSh("up");

        assertEquals(0, up.exitCode(), up.output());
        List<String> calls = Files.readAllLines(log);
        String tag = TAG;
        assertEquals("minikube status", calls.get(0));
        assertEquals("minikube start --cpus 2 --memory 4g", calls.get(1));
        for (String service : SERVICES) {
            assertTrue(calls.stream().anyMatch(c -> c.startsWith("docker build ") && c.contains("--build-arg SERVICE=" + service + " ")
                    && c.contains("--tag micro-canary/" + service + ":" + tag)), service + " image built: " + calls);
            assertTrue(calls.contains("minikube image load micro-canary/" + service + ":" + tag), service + " loaded");
        }
        assertTrue(calls.contains("kubectl apply -f -"), calls::toString);
        String applied = Files.readString(state.resolve("applied.yaml"));
        for (String service : SERVICES) {
            assertTrue(applied.contains("image: micro-canary/" + service + ":" + tag), service + " deployed with the tag");
        }
        assertFalse(applied.contains(":0.1.0\n"), "no untagged base image is deployed");
        int applyAt = calls.indexOf("kubectl apply -f -");
        int migrateAt = indexOf(calls, "kubectl -n micro-canary exec deployment/addressbook -- java -Xmx64m -XX:TieredStopAtLevel=1"
                + " -cp @/app/jib-classpath-file @/app/jib-main-class-file migrate");
        int lastStoreWait = calls.indexOf("kubectl -n micro-canary rollout status statefulset/redis --timeout=300s");
        assertTrue(applyAt < lastStoreWait && lastStoreWait < migrateAt, "apply, wait for the stores, then migrate: " + calls);
        for (String deployment : List.of("addressbook", "sava-product", "sava-cart-ie", "sava-cart-uk", "adderservice",
                "auditservice", "eventservice", "webapp")) {
            assertTrue(calls.contains("kubectl -n micro-canary rollout status deployment/" + deployment + " --timeout=300s"), deployment);
        }
        assertTrue(up.output().contains("webapp        http://127.0.0.1:" + ServiceTable.of("webapp").localPort() + "   (while ./minikube.sh forward runs)"), up.output());
        assertFalse(calls.stream().anyMatch(c -> c.startsWith("minikube service")), "no tunnel held open: " + calls);
    }

    /** NAMESPACE moves everything: what is rendered and applied, and every wait, exec and harness call after it. */
    @Test
    void upInAnotherNamespaceRendersAppliesAndWaitsThereOnly() throws Exception {
        Map<String, String> env = fakeEnvironment();
        env.put("NAMESPACE", "team-a");
        ProcessRun up = run(Checkout.root(), List.of("bash", "minikube.sh", "up"), env);
        ProcessRun canary = run(Checkout.root(), List.of("bash", "minikube.sh", "promote", "sava-cart"), env);

        assertEquals(0, up.exitCode(), up.output());
        assertEquals(0, canary.exitCode(), canary.output());
        List<String> calls = Files.readAllLines(log);
        List<String> namespaced = calls.stream().filter(c -> c.contains(" -n ")).toList();
        assertTrue(namespaced.size() > 10, calls::toString);
        assertEquals(List.of(), namespaced.stream().filter(c -> !c.contains(" -n team-a ")).toList(), "every call in team-a");
        assertTrue(calls.contains("canary -n team-a promote sava-cart-ie"), calls::toString);
        String applied = Files.readString(state.resolve("applied.yaml"));
        List<String> namespaces = applied.lines().map(String::strip).filter(l -> l.startsWith("namespace:")).distinct().toList();
        assertEquals(List.of("namespace: team-a"), namespaces, "every object applied into team-a");
        assertTrue(applied.contains("kind: Namespace\nmetadata:\n  name: team-a\n"), "the namespace itself is team-a's");
        assertFalse(applied.replace("micro-canary/", "").replace("micro-canary-services", "").contains("micro-canary"),
                "nothing left in the default namespace");
    }

    @Test
    void aNamespaceKubernetesWouldRefuseIsRefusedBeforeAnythingIsApplied() throws Exception {
        Map<String, String> env = fakeEnvironment();
        env.put("NAMESPACE", "Team_A");
        ProcessRun up = run(Checkout.root(), List.of("bash", "minikube.sh", "up"), env);

        assertEquals(1, up.exitCode(), up.output());
        assertTrue(up.output().contains("error: NAMESPACE 'Team_A' is not a Kubernetes namespace name"), up.output());
        assertFalse(Files.readAllLines(log).stream().anyMatch(c -> c.startsWith("kubectl apply")), "nothing applied");
    }

    @Test
    void upIsIdempotentAndDoesNotRestartARunningMinikube() throws Exception {
        Files.createFile(state.resolve("minikube-started"));

        assertEquals(0, minikubeSh("up").exitCode());

        assertFalse(Files.readAllLines(log).stream().anyMatch(c -> c.startsWith("minikube start")));
    }

    @Test
    void downDeletesTheNamespaceAndDestroyDeletesTheCluster() throws Exception {
        assertEquals(0, minikubeSh("down").exitCode());
        assertEquals(0, minikubeSh("destroy").exitCode());

        assertEquals(List.of("kubectl delete namespace micro-canary --ignore-not-found --wait=true", "minikube delete"),
                Files.readAllLines(log));
    }

    @Test
    void anUnknownCommandPrintsUsage() throws Exception {
        ProcessRun result = minikubeSh("sideways");

        assertEquals(2, result.exitCode());
        assertEquals("usage: ./minikube.sh up | forward | canary <service> [--bad] | promote <service> | rollback <service>"
                + " | status | report | down | destroy\n", result.output());
        assertEquals(2, minikubeSh("promote").exitCode(), "promote needs a service");
    }

    @Test
    void canaryBuildsThisCommitsImageAndStartsTheHarnessForEachDeployment() throws Exception {
        ProcessRun result = minikubeSh("canary", "sava-cart");

        assertEquals(0, result.exitCode(), result.output());
        String tag = TAG;
        List<String> calls = Files.readAllLines(log);
        int loaded = indexOf(calls, "minikube image load micro-canary/sava-cart:" + tag);
        int ie = indexOf(calls, "canary -n micro-canary start sava-cart-ie --image micro-canary/sava-cart:" + tag);
        int uk = indexOf(calls, "canary -n micro-canary start sava-cart-uk --image micro-canary/sava-cart:" + tag);
        assertTrue(loaded < ie && ie < uk, calls::toString);
    }

    @Test
    void promoteAndRollbackGoThroughTheHarness() throws Exception {
        assertEquals(0, minikubeSh("promote", "addressbook").exitCode());
        assertEquals(0, minikubeSh("rollback", "sava-cart").exitCode());

        assertEquals(List.of("canary -n micro-canary promote addressbook", "canary -n micro-canary abort sava-cart-ie",
                "canary -n micro-canary abort sava-cart-uk"), Files.readAllLines(log));
    }

    @Test
    void aBadCatalogueReleaseIsAnalysedUnderStoreTrafficAndAborted() throws Exception {
        // the fake kubectl forwards nothing: the traffic starts once the port-forward's 10 s wait has passed
        ProcessRun result = minikubeSh("canary", "sava-product", "--bad");

        assertEquals(0, result.exitCode(), result.output());
        String tag = TAG;
        assertTrue(Files.readAllLines(log).contains("canary -n micro-canary start sava-product --image micro-canary/"
                + "sava-product:" + tag + " --env FAULT_ERROR_RATE=0.3 --auto --window 60s"), Files.readAllLines(log)::toString);
        assertTrue(result.output().contains("as expected: the analysis caught the bad release"), result.output());
        assertEquals("kubectl -n micro-canary port-forward svc/sava-cart-ie " + 0, Files.readAllLines(log).stream()
                .filter(c -> c.contains("port-forward")).findFirst().orElseThrow().replaceFirst(" \\d+:80$", " 0"),
                "the store traffic goes through a port-forward, no minikube tunnel");
        assertTrue(Files.exists(state.resolve("curl-requests")), "store pages were requested");
        assertEveryPortForwardStopped();
        assertEquals(1, minikubeSh("canary", "addressbook", "--bad").exitCode(), "--bad is the catalogue's story only");
    }

    @Test
    void statusShowsTheClusterAndTheCanarySplit() throws Exception {
        assertEquals(0, minikubeSh("status").exitCode());

        assertEquals(List.of("kubectl -n micro-canary get deployments,statefulsets,pods,services",
                "canary -n micro-canary status"), Files.readAllLines(log));
    }

    @Test
    void reportSaysClearlyWhenRedisCannotBeReached() throws Exception {
        Map<String, String> env = fakeEnvironment();
        env.put("REPORT_PORT", String.valueOf(freePort()));
        ProcessRun result = run(Checkout.root(), List.of("bash", "minikube.sh", "report"), env);

        assertEquals(1, result.exitCode(), result.output());
        assertTrue(result.output().contains("error: could not reach Redis through kubectl port-forward on 127.0.0.1:"),
                result.output());
        assertTrue(Files.readAllLines(log).get(0).startsWith("kubectl -n micro-canary port-forward svc/redis "));
        assertEveryPortForwardStopped();
    }

    @Test
    void reportHandsTheReportCliRedisPasswordFromTheSecretFile() throws Exception {
        Map<String, String> env = fakeEnvironment();
        Path secret = state.resolve("redis.env");
        Files.writeString(secret, "password=s3cret-from-k8s-secrets\n");
        env.put("REDIS_SECRET_FILE", secret.toString());
        // what the forwarded port answers with: a socket of the test's own (the fake kubectl forwards nothing)
        try (java.net.ServerSocket redis = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            env.put("REPORT_PORT", String.valueOf(redis.getLocalPort()));
            ProcessRun result = ProcessRun.of(List.of("bash", "minikube.sh", "report", "--top", "3"), Checkout.root(), env,
                    Duration.ofMinutes(2), "REDIS_PASSWORD");

            assertEquals(0, result.exitCode(), result.output());
            assertTrue(Files.readAllLines(log).contains("report --redis-url redis://127.0.0.1:" + redis.getLocalPort() + " --top 3"),
                    Files.readAllLines(log).toString());
            assertEquals(List.of("REDIS_PASSWORD=s3cret-from-k8s-secrets"), Files.readAllLines(state.resolve("report.env")));
            assertFalse(Files.readString(log).contains("s3cret"), "the password is on no command line");
        }
        assertEveryPortForwardStopped();
    }

    @Test
    void reportRefusesToRunWithoutTheRedisPassword() throws Exception {
        Map<String, String> env = fakeEnvironment();
        env.put("REDIS_SECRET_FILE", state.resolve("no-such.env").toString());
        try (java.net.ServerSocket redis = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            env.put("REPORT_PORT", String.valueOf(redis.getLocalPort()));
            ProcessRun result = ProcessRun.of(List.of("bash", "minikube.sh", "report"), Checkout.root(), env,
                    Duration.ofMinutes(2), "REDIS_PASSWORD");

            assertEquals(1, result.exitCode(), result.output());
            assertTrue(result.output().contains("Redis requires the password"), result.output());
            assertFalse(Files.exists(state.resolve("report.env")), "the report CLI did not run");
        }
        assertEveryPortForwardStopped();
    }

    @Test
    void forwardHoldsPortForwardsToTheFrontEndUntilStoppedAndThenStopsThem() throws Exception {
        Map<String, String> env = fakeEnvironment();
        List<java.net.ServerSocket> listening = new ArrayList<>();
        // what the forwarded ports answer with: sockets of the test's own (the fake forwards nothing)
        for (String variable : List.of("WEBAPP_PORT", "SAVA_CART_IE_PORT", "SAVA_CART_UK_PORT")) {
            java.net.ServerSocket socket = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
            listening.add(socket);
            env.put(variable, String.valueOf(socket.getLocalPort()));
        }
        Path output = Files.createTempFile("forward-", ".out");
        ProcessBuilder builder = new ProcessBuilder("bash", "minikube.sh", "forward").directory(Checkout.root().toFile())
                .redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().putAll(env);
        Process forward = builder.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!Files.readString(output).contains("forwarding until Ctrl-C")) {
                assertTrue(forward.isAlive(), "forward ended early: " + Files.readString(output));
                assertTrue(System.nanoTime() < deadline, "forward did not start: " + Files.readString(output));
                Thread.sleep(50);
            }
            assertTrue(forward.isAlive(), "it holds the forwards until stopped");
            String printed = Files.readString(output);
            assertTrue(printed.contains("webapp        http://127.0.0.1:" + env.get("WEBAPP_PORT")), printed);
            assertTrue(printed.contains("sava-cart-uk  http://127.0.0.1:" + env.get("SAVA_CART_UK_PORT")), printed);
            // the three forwards start in the background: the fake records each when it runs, in any order, and
            // possibly after the script has seen its (already listening) port answer
            while (Files.readAllLines(log).size() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            List<String> calls = Files.readAllLines(log).stream().sorted().toList();
            assertEquals(List.of("kubectl -n micro-canary port-forward svc/sava-cart-ie " + env.get("SAVA_CART_IE_PORT") + ":80",
                    "kubectl -n micro-canary port-forward svc/sava-cart-uk " + env.get("SAVA_CART_UK_PORT") + ":80",
                    "kubectl -n micro-canary port-forward svc/webapp " + env.get("WEBAPP_PORT") + ":" + ServiceTable.of("webapp").servicePort()), calls);
            forward.destroy(); // SIGTERM, as Ctrl-C or a closed terminal
            assertTrue(forward.waitFor(20, TimeUnit.SECONDS), "forward stops when told");
            assertEveryPortForwardStopped();
            assertEquals(3, Files.readAllLines(state.resolve("port-forwards")).size());
        } finally {
            forward.destroyForcibly();
            for (java.net.ServerSocket socket : listening) {
                socket.close();
            }
        }
    }

    @Test
    void upRefusesARunningMinikubeTooSmallForAPromoteBeforeBuildingAnything() throws Exception {
        Files.createFile(state.resolve("minikube-started"));
        Map<String, String> env = fakeEnvironment();
        env.put("FAKE_NODE", "2 2013116Ki"); // minikube started with --memory 2g

        ProcessRun up = run(Checkout.root(), List.of("bash", "minikube.sh", "up"), env);

        assertEquals(1, up.exitCode(), up.output());
        assertTrue(up.output().contains("error: the running minikube has 2000m CPU and 1965Mi memory allocatable;"
                + " a promote needs 1550m and 3498Mi"), up.output());
        assertTrue(up.output().contains("minikube delete && ./minikube.sh up"), up.output());
        assertFalse(Files.readAllLines(log).stream().anyMatch(c -> c.startsWith("docker ")), "nothing built");
    }

    @Test
    void theJarsAreBuiltAtTheReleaseVersionOfLibShAsASnapshot() throws Exception {
        String lib = Files.readString(Checkout.root().resolve("scripts/lib.sh"));
        var release = Pattern.compile("(?m)^VERSION=(\\S+)$").matcher(lib);
        assertTrue(release.find(), "VERSION= in scripts/lib.sh");
        var pom = Pattern.compile("</parent>\\s*<groupId>[^<]*</groupId>\\s*<artifactId>[^<]*</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(Files.readString(Checkout.root().resolve("pom.xml")));
        assertTrue(pom.find(), "the root pom.xml's own version");
        assertEquals(release.group(1) + "-SNAPSHOT", pom.group(1));
    }

    @Test
    void aJarIsStaleWhenAModuleItIsBuiltFromChanges() throws Exception {
        ProcessRun built = run(Checkout.root(), List.of("bash", "-c",
                "source scripts/lib.sh; for m in infrastructure report webapp; do echo \"$m: $(modules_built_into $m | sort -u | xargs)\"; done"),
                new java.util.HashMap<>(System.getenv()));

        assertEquals(0, built.exitCode(), built.output());
        assertTrue(built.output().contains("infrastructure: command-line infrastructure local-stores"), built.output());
        assertTrue(built.output().contains("report: command-line report"), built.output());
        assertTrue(built.output().contains("webapp: service-support webapp"), "test-scoped modules left out: " + built.output());
    }

    @Test
    void minikubeShAndWhatItRunsAvoidWhatMacOsBash32AndBsdToolsLack() throws Exception {
        // bash 4+ only: associative arrays, mapfile/readarray, case changes, |&, &>>, namerefs, coproc, wait -n;
        // GNU only: realpath --relative-to, sed -i without a suffix argument, readlink -f
        Pattern unsupported = Pattern.compile("declare -A|local -A|mapfile|readarray|\\$\\{[A-Za-z_]+(,,|\\^\\^)\\}"
                + "|\\|&|&>>|declare -n|local -n|coproc|wait -n|realpath --relative-to|sed -i |readlink -f");
        for (String script : List.of("minikube.sh", "scripts/lib.sh", "scripts/render.sh", "scripts/build-image.sh",
                "scripts/k8s-secrets.sh", "scripts/service.sh", "scripts/image-tag.sh")) {
            List<String> lines = Files.readAllLines(Checkout.root().resolve(script));
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (!line.strip().startsWith("#")) {
                    assertFalse(unsupported.matcher(line).find(), script + ":" + (i + 1) + " needs bash 4 or GNU tools: " + line);
                }
            }
        }
    }

    @Test
    void aServicesCanaryVerbBuildsItsImageAndStartsTheHarness() throws Exception {
        ProcessRun result = run(Checkout.root(), List.of("bash", "addressbook/build.sh", "canary"), fakeEnvironment());

        assertEquals(0, result.exitCode(), result.output());
        List<String> calls = Files.readAllLines(log);
        assertTrue(calls.stream().anyMatch(c -> c.startsWith("docker build ") && c.contains("--tag micro-canary/addressbook:" + TAG)),
                calls::toString);
        assertFalse(calls.stream().anyMatch(c -> c.startsWith("minikube ")), "no minikube context, nothing loaded: " + calls);
        assertEquals("canary -n micro-canary start addressbook --image micro-canary/addressbook:" + TAG,
                calls.get(calls.size() - 1));
    }

    @Test
    void aServicesCanaryVerbOnMinikubeLoadsTheImageIntoItFirstAsUpDoes() throws Exception {
        Map<String, String> env = fakeEnvironment();
        env.put("FAKE_CONTEXT", "minikube");
        ProcessRun result = run(Checkout.root(), List.of("bash", "sava-cart/build.sh", "canary"), env);

        assertEquals(0, result.exitCode(), result.output());
        List<String> calls = Files.readAllLines(log);
        int loaded = indexOf(calls, "minikube image load micro-canary/sava-cart:" + TAG);
        int ie = indexOf(calls, "canary -n micro-canary start sava-cart-ie --image micro-canary/sava-cart:" + TAG);
        int uk = indexOf(calls, "canary -n micro-canary start sava-cart-uk --image micro-canary/sava-cart:" + TAG);
        assertTrue(loaded < ie && ie < uk, calls::toString);
    }

    private static int freePort() throws IOException {
        try (var socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    void aServicesBuildScriptDeploysOnlyItsOwnObjectsWithTheImageBuiltForIt() throws Exception {
        ProcessRun build = run(Checkout.root(), List.of("bash", "sava-cart/build.sh", "container"), fakeEnvironment());
        assertEquals(0, build.exitCode(), build.output());
        Files.writeString(log, "");

        ProcessRun deploy = run(Checkout.root(), List.of("bash", "sava-cart/build.sh", "deploy"), fakeEnvironment());

        assertEquals(0, deploy.exitCode(), deploy.output());
        List<String> calls = Files.readAllLines(log);
        assertTrue(calls.get(0).startsWith("kubectl kustomize "), calls::toString);
        assertEquals("kubectl apply -f - -l app in (sava-cart-ie,sava-cart-uk)", calls.get(calls.size() - 1));
        String applied = Files.readString(state.resolve("applied.yaml"));
        assertTrue(applied.contains("image: micro-canary/sava-cart:" + TAG), "the image built is deployed");
        assertFalse(applied.contains("image: micro-canary/sava-cart:0.1.0\n"), "never the placeholder nothing builds");
    }

    /** Pushed with REGISTRY, rendered with the registry overlay: each image by its registry name, with the built tag. */
    @Test
    void anImagePushedToTheRegistryIsDeployedFromThereWithItsTagAndPullSecret() throws Exception {
        Map<String, String> env = fakeEnvironment();
        env.put("REGISTRY", "registry.example.com/team");
        ProcessRun build = run(Checkout.root(), List.of("bash", "adderservice/build.sh", "container"), env);
        assertEquals(0, build.exitCode(), build.output());
        assertTrue(Files.readAllLines(log).contains("docker push registry.example.com/team/micro-canary/adderservice:" + TAG),
                Files.readAllLines(log)::toString);

        ProcessRun render = run(Checkout.root(), List.of("bash", "scripts/render.sh", "--overlay", "k8s/overlays/registry",
                "adderservice"), env);

        assertEquals(0, render.exitCode(), render.output());
        assertTrue(render.output().contains("image: registry.example.com/team/micro-canary/adderservice:" + TAG + "\n"),
                render.output());
        assertTrue(render.output().contains("imagePullSecrets:\n      - name: registry-credentials"), render.output());

        env.put("REGISTRY", "elsewhere.example.org/team");
        assertEquals(0, run(Checkout.root(), List.of("bash", "adderservice/build.sh", "container"), env).exitCode());
        ProcessRun mismatch = run(Checkout.root(), List.of("bash", "scripts/render.sh", "--overlay", "k8s/overlays/registry",
                "adderservice"), env);
        assertEquals(1, mismatch.exitCode(), mismatch.output());
        assertTrue(mismatch.output().contains("error: the overlay k8s/overlays/registry does not name adderservice's image as it"
                + " was built (elsewhere.example.org/team/micro-canary/adderservice:" + TAG + ")"), mismatch.output());
    }

    @Test
    void aServicesBuildScriptDeploysAndReleasesInTheNamespaceItIsGiven() throws Exception {
        Map<String, String> env = fakeEnvironment();
        env.put("NAMESPACE", "team-a");
        assertEquals(0, run(Checkout.root(), List.of("bash", "webapp/build.sh", "container"), env).exitCode());

        ProcessRun deploy = run(Checkout.root(), List.of("bash", "webapp/build.sh", "deploy"), env);
        ProcessRun promote = run(Checkout.root(), List.of("bash", "webapp/build.sh", "promote"), env);

        assertEquals(0, deploy.exitCode(), deploy.output());
        assertEquals(0, promote.exitCode(), promote.output());
        List<String> namespaces = Files.readString(state.resolve("applied.yaml")).lines().map(String::strip)
                .filter(l -> l.startsWith("namespace:")).distinct().toList();
        assertEquals(List.of("namespace: team-a"), namespaces, "webapp's objects applied into team-a");
        assertTrue(Files.readAllLines(log).contains("canary -n team-a promote webapp"), Files.readAllLines(log)::toString);
    }

    @Test
    void deployingAServiceNoImageWasBuiltForRefusesAndAppliesNothing() throws Exception {
        ProcessRun deploy = run(Checkout.root(), List.of("bash", "webapp/build.sh", "deploy"), fakeEnvironment());

        assertEquals(1, deploy.exitCode(), deploy.output());
        assertTrue(deploy.output().contains("error: no image of webapp has been built here: run webapp/build.sh container"),
                deploy.output());
        assertFalse(Files.readAllLines(log).stream().anyMatch(c -> c.startsWith("kubectl apply")), "nothing applied");
    }

    @Test
    void aServicesBuildScriptBuildsAndLoadsItsImage() throws Exception {
        Map<String, String> env = fakeEnvironment();
        env.put("MINIKUBE", "1");
        ProcessRun container = run(Checkout.root(), List.of("bash", "addressbook/build.sh", "container"), env);

        assertEquals(0, container.exitCode(), container.output());
        String tag = TAG;
        List<String> calls = Files.readAllLines(log);
        assertEquals(2, calls.size(), calls::toString);
        assertTrue(calls.get(0).startsWith("docker build --file " + Checkout.root().resolve("Dockerfile")
                + " --build-arg SERVICE=addressbook --build-arg PORT=" + ServiceTable.of("addressbook").containerPort() + " --build-arg MAIN_CLASS=io.microcanary.addressbook.Application "),
                calls.get(0));
        assertEquals("minikube image load micro-canary/addressbook:" + tag, calls.get(1));
        assertTrue(container.output().endsWith("micro-canary/addressbook:" + tag + "\n"), container.output());
    }

    @Test
    void anUnknownVerbPrintsUsageAndExitsOne() throws Exception {
        ProcessRun result = run(Checkout.root(), List.of("bash", "webapp/build.sh", "launch"), fakeEnvironment());

        assertEquals(1, result.exitCode());
        assertEquals("usage: webapp/build.sh container|deploy|canary|promote|rollback\n", result.output());
    }

    private ProcessRun minikubeSh(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", "minikube.sh"));
        command.addAll(List.of(args));
        return run(Checkout.root(), command, fakeEnvironment());
    }

    /** A fresh, mutable environment: a test adds what it needs. */
    private Map<String, String> fakeEnvironment() {
        Map<String, String> env = new java.util.HashMap<>(Map.of("PATH", FAKES + ":" + System.getenv("PATH"),
                "FAKE_LOG", log.toString(), "FAKE_STATE", state.toString(), "SKIP_JAR_BUILD", "1",
                "CANARY", FAKES.resolve("canary").toString(), "REPORT", FAKES.resolve("report").toString(),
                "TRAFFIC_REQUESTS", "3", "IMAGE_TAG", TAG,
                // what the scripts record of their builds goes to the test's directory, never the checkout's
                "MICRO_CANARY_STATE", state.resolve("run-local").toString()));
        env.put("TRAFFIC_PORT", String.valueOf(uncheckedFreePort()));
        return env;
    }

    private static int uncheckedFreePort() {
        try {
            return freePort();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The port-forwards the fake kubectl held: each must be stopped once the script has ended. */
    private void assertEveryPortForwardStopped() throws Exception {
        Path pids = state.resolve("port-forwards");
        List<Long> started = Files.exists(pids) ? Files.readAllLines(pids).stream().map(Long::parseLong).toList() : List.of();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (long pid : started) {
            while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                assertTrue(System.nanoTime() < deadline, "port-forward " + pid + " still runs after the script ended");
                Thread.sleep(50);
            }
        }
    }

    private static int indexOf(List<String> calls, String call) {
        int index = calls.indexOf(call);
        assertTrue(index >= 0, "no call '" + call + "' in " + calls);
        return index;
    }

    private static String git(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        return run(Checkout.root(), command, Map.of()).output().strip();
    }

    private static ProcessRun run(Path dir, List<String> command, Map<String, String> env) throws Exception {
        return ProcessRun.of(command, dir, env, Duration.ofMinutes(2));
    }

}
