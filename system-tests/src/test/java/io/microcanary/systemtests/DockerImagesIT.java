package io.microcanary.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.microcanary.testsupport.Poller;
import io.microcanary.testsupport.http.Http;
import io.microcanary.testsupport.stores.StoreKind;
import io.microcanary.testsupport.stores.StoreServer;
import io.microcanary.testsupport.stores.Stores;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every service's image from the root Dockerfile, built for real on a Docker daemon with a base made on this machine
 * (scripts/local-base-image.sh: nothing can be pulled here), then run the way the manifests run it — read-only root
 * filesystem with a /tmp, uid 10001, every capability dropped, no new privileges, 256m of memory — until its
 * readiness endpoint answers. Stores are real servers on 127.0.0.1, which the containers reach on the host network;
 * they listen on 127.0.0.1 only. Records image size and time to ready.
 */
class DockerImagesIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, Integer> PORTS = Map.of("addressbook", 3000, "sava-product", 8080, "sava-cart", 3000,
            "adderservice", 8080, "auditservice", 8081, "eventservice", 8082, "webapp", 3000);

    @Test
    void everyImageRunsHardenedAsTheManifestsRunIt() throws Exception {
        Path root = Repository.root();
        try (DockerDaemon docker = DockerDaemon.startOrUse();
             StoreServer postgres = Stores.start(StoreKind.POSTGRES); StoreServer redis = Stores.start(StoreKind.REDIS);
             StoreServer mongo = Stores.start(StoreKind.MONGO)) {
            script(root, docker, Map.of(), "scripts/local-base-image.sh");
            Map<String, Map<String, String>> settings = Map.of(
                    "addressbook", Map.of("DB_HOST", "127.0.0.1", "DB_PORT", String.valueOf(postgres.address().port()),
                            "DB_USER", postgres.address().user(),
                            "DB_PASSWORD", java.util.Objects.toString(postgres.address().password(), ""),
                            "DB_SCHEMA", postgres.address().database()),
                    "sava-cart", Map.of("CART_SIGNING_KEY", "image-test-key", "PRODUCT_SERVICE_ADDR", "http://127.0.0.1:9"),
                    "auditservice", Map.of("MONGODB_URI", mongo.url()),
                    "eventservice", Map.of("MONGODB_URI", mongo.url(), "REDIS_URI", redis.url()),
                    "webapp", Map.of("REDIS_URI", redis.url()));
            List<String> report = new ArrayList<>();
            for (String service : new java.util.TreeSet<>(PORTS.keySet())) {
                String image = script(root, docker, Map.of("SKIP_JAR_BUILD", "1", "BASE_IMAGE", "micro-canary/jre-base:17"),
                        "scripts/build-image.sh", service).lines().reduce((first, last) -> last).orElseThrow();

                JsonNode config = JSON.readTree(docker.docker("image", "inspect", "--format", "{{json .Config}}", image));
                assertEquals("10001:10001", config.get("User").asText(), service);
                assertTrue(config.get("ExposedPorts").has(PORTS.get(service) + "/tcp"), service + ": " + config);
                assertEquals(service, config.get("Labels").get("io.microcanary.service").asText());
                assertEquals(0, docker.exitCode("run", "--rm", "--entrypoint", "/bin/sh", image, "-c",
                        "for tool in javac jar jlink mvn gradle gcc; do command -v $tool && exit 1; done; exit 0"),
                        service + " carries no build tools");

                long ready = runUntilReady(docker, image, settings.getOrDefault(service, Map.of()));
                long megabytes = Long.parseLong(docker.docker("image", "inspect", "--format", "{{.Size}}", image)) / 1_000_000;
                report.add(String.format("%-13s %4d MB  ready in %5d ms", service, megabytes, ready));
            }
            System.err.println("images (Dockerfile, local JRE base), run read-only as uid 10001 with 256m:\n  "
                    + String.join("\n  ", report));
        }
    }

    /** Starts the image as the Deployment would and returns the milliseconds until /health/readiness answered 200. */
    private static long runUntilReady(DockerDaemon docker, String image, Map<String, String> settings) throws Exception {
        int port = Stores.freePort();
        List<String> run = new ArrayList<>(List.of("run", "-d", "--network", "host", "--read-only",
                "--tmpfs", "/tmp:rw,size=64m", "--user", "10001:10001", "--cap-drop", "ALL",
                "--security-opt", "no-new-privileges", "--memory", "256m",
                "-e", "PORT=" + port, "-e", "MICRONAUT_SERVER_HOST=127.0.0.1"));
        settings.forEach((name, value) -> run.addAll(List.of("-e", name + "=" + value)));
        run.add(image);
        long started = System.nanoTime();
        String container = docker.docker(run.toArray(new String[0]));
        try {
            Http http = Http.at("http://127.0.0.1:" + port).withTimeout(Duration.ofSeconds(2));
            Poller.within(Duration.ofSeconds(90)).until(image + " to be ready", () -> {
                try {
                    return http.get("/health/readiness").status() == 200;
                } catch (RuntimeException notYet) {
                    return false;
                }
            });
            return (System.nanoTime() - started) / 1_000_000;
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError(image + " did not become ready; its log:\n" + docker.docker("logs", container), e);
        } finally {
            docker.docker("rm", "-f", container);
        }
    }

    private static String script(Path root, DockerDaemon docker, Map<String, String> environment, String... command)
            throws Exception {
        Path output = Files.createTempFile("image-script-", ".out");
        Path errors = Files.createTempFile("image-script-", ".err");
        List<String> line = new ArrayList<>(List.of("bash"));
        line.addAll(List.of(command));
        ProcessBuilder builder = new ProcessBuilder(line).directory(root.toFile())
                .redirectOutput(output.toFile()).redirectError(errors.toFile());
        Map<String, String> env = new HashMap<>(docker.environment());
        env.putAll(environment);
        builder.environment().putAll(env);
        Process process = builder.start();
        assertTrue(process.waitFor(10, TimeUnit.MINUTES), String.join(" ", line) + " finished");
        String printed = Files.readString(output);
        assertEquals(0, process.exitValue(), String.join(" ", line) + " failed: " + printed + Files.readString(errors));
        return printed;
    }
}
