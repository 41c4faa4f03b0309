package io.microcanary.systemtests;

import io.microcanary.testsupport.ServiceTable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.microcanary.testsupport.Poller;
import io.microcanary.testsupport.http.Http;
import io.microcanary.localstores.StoreKind;
import io.microcanary.localstores.StoreServer;
import io.microcanary.localstores.Stores;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every service's image from the root Dockerfile, built for real on a Docker daemon with a base made on this machine
 * (scripts/local-base-image.sh: nothing can be pulled here), then run the way the manifests run it — read-only root
 * filesystem with a /tmp, uid 10001, every capability dropped, no new privileges, 256m of memory — until its
 * readiness endpoint answers. Stores are real servers on 127.0.0.1, which the containers reach on the host network;
 * they listen on 127.0.0.1 only. Records image size and time to ready. Then docker-compose.yml brings the whole
 * system up from the same images, with stand-in store images made on this machine.
 */
class DockerImagesIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, Integer> PORTS = ServiceTable.containerPorts();
    /** docker-compose.yml's services, with the variable that moves each one's published port. */
    private static final Map<String, String> COMPOSE_PORTS = Map.of("addressbook", "ADDRESSBOOK_PORT",
            "sava-product", "SAVA_PRODUCT_PORT", "sava-cart-ie", "SAVA_CART_IE_PORT", "sava-cart-uk", "SAVA_CART_UK_PORT",
            "adderservice", "ADDERSERVICE_PORT", "auditservice", "AUDITSERVICE_PORT", "eventservice", "EVENTSERVICE_PORT",
            "webapp", "WEBAPP_PORT");

    private static DockerDaemon docker;
    private static final Map<String, String> IMAGES = new TreeMap<>();
    /** The class-data option the training stage writes: an AOT cache on a Java 25 base or newer, else a CDS archive. */
    private static String classDataOption;

    @BeforeAll
    static void buildEveryImage() throws Exception {
        docker = DockerDaemon.startOrUse();
        String base = script(Map.of(), "scripts/local-base-image.sh").strip();
        int javaRelease = Integer.parseInt(base.substring(base.lastIndexOf(':') + 1));
        classDataOption = javaRelease >= 25 ? "-XX:AOTCache=" : "-XX:SharedArchiveFile=";
        // one tag for the whole set, as CI passes it on: the tree's changes (and so a dirty tag) may move meanwhile
        String tag = script(Map.of(), "scripts/image-tag.sh").strip();
        for (String service : new TreeSet<>(PORTS.keySet())) {
            IMAGES.put(service, script(Map.of("SKIP_JAR_BUILD", "1", "BASE_IMAGE", base, "IMAGE_TAG", tag),
                    "scripts/build-image.sh", service).lines().reduce((first, last) -> last).orElseThrow());
        }
    }

    @AfterAll
    static void stopTheDaemon() throws Exception {
        if (docker != null) {
            docker.close();
        }
    }

    @Test
    void everyImageRunsHardenedAsTheManifestsRunIt() throws Exception {
        try (StoreServer postgres = Stores.start(StoreKind.POSTGRES); StoreServer redis = Stores.start(StoreKind.REDIS);
             StoreServer mongo = Stores.start(StoreKind.MONGO)) {
            Map<String, Map<String, String>> settings = Map.of(
                    "addressbook", Map.of("DB_HOST", "127.0.0.1", "DB_PORT", String.valueOf(postgres.address().port()),
                            "DB_USER", postgres.address().user(),
                            "DB_PASSWORD", Objects.toString(postgres.address().password(), ""),
                            "DB_SCHEMA", postgres.address().database()),
                    "sava-cart", Map.of("CART_SIGNING_KEY", "image-test-key", "PRODUCT_SERVICE_ADDR", "http://127.0.0.1:9"),
                    "auditservice", Map.of("MONGODB_URI", mongo.url()),
                    "eventservice", Map.of("MONGODB_URI", mongo.url(), "REDIS_URI", redis.url()),
                    "webapp", Map.of("REDIS_URI", redis.url()));
            List<String> report = new ArrayList<>();
            for (Map.Entry<String, String> built : IMAGES.entrySet()) {
                String service = built.getKey();
                String image = built.getValue();
                JsonNode config = JSON.readTree(docker.docker("image", "inspect", "--format", "{{json .Config}}", image));
                assertEquals("10001:10001", config.get("User").asText(), service);
                assertTrue(config.get("ExposedPorts").has(PORTS.get(service) + "/tcp"), service + ": " + config);
                assertEquals(service, config.get("Labels").get("io.microcanary.service").asText());
                assertEquals(ImageBillOfMaterials.PATH, config.get("Labels").get("io.microcanary.sbom").asText(), service);
                ImageBillOfMaterials.check(service, copiedOut(image, ImageBillOfMaterials.PATH));
                assertEquals(0, docker.exitCode("run", "--rm", "--entrypoint", "/bin/sh", image, "-c",
                        "for tool in javac jar jlink mvn gradle gcc; do command -v $tool && exit 1; done; exit 0"),
                        service + " carries no build tools");
                assertEquals(0, docker.exitCode("run", "--rm", "--entrypoint", "/bin/sh", image, "-c",
                        "archive=$(sed -n 's/^-XX:[A-Za-z]*=//p' /app/class-data.options); test -s \"$archive\""),
                        service + ": the training run's class data, named in /app/class-data.options, is in the image");
                String classData = new String(copiedOut(image, "/app/class-data.options"), StandardCharsets.UTF_8);
                assertTrue(classData.startsWith(classDataOption), service + ": " + classData);

                long ready = runUntilReady(image, settings.getOrDefault(service, Map.of()));
                long megabytes = Long.parseLong(docker.docker("image", "inspect", "--format", "{{.Size}}", image)) / 1_000_000;
                report.add(String.format("%-13s %4d MB  ready in %5d ms", service, megabytes, ready));
            }
            System.err.println("images (Dockerfile, local JRE base), run read-only as uid 10001 with 256m:\n  "
                    + String.join("\n  ", report));
        }
    }

    /** A file of an image, as {@code docker cp} copies it out of a container created from it (never started). */
    private static byte[] copiedOut(String image, String file) throws Exception {
        String container = docker.docker("create", image);
        try {
            Path copy = Files.createTempDirectory("image-file-").resolve("copy");
            docker.docker("cp", container + ":" + file, copy.toString());
            return Files.readAllBytes(copy);
        } finally {
            docker.docker("rm", container);
        }
    }

    /**
     * docker-compose.yml as a user runs it, with stand-ins for the store images (nothing can be pulled here): every
     * service ready, and one request through each of them — a person stored in PostgreSQL, both stores showing the
     * live catalogue, a calculation through the adder into the audit trail in MongoDB, its page event through Redis
     * into the event store.
     */
    @Test
    void theComposeFileRunsTheWholeSystem() throws Exception {
        script(Map.of(), "scripts/stand-in-store-images.sh");
        String image = IMAGES.get("adderservice");
        Map<String, String> environment = new HashMap<>(Map.of("TAG", image.substring(image.indexOf(':') + 1),
                "POSTGRES_PASSWORD", "compose-" + UUID.randomUUID(), "CART_SIGNING_KEY", UUID.randomUUID().toString(),
                "POSTGRES_IMAGE", "micro-canary/postgres-stand-in:16", "REDIS_IMAGE", "micro-canary/redis-stand-in:6",
                "MONGO_IMAGE", "micro-canary/mongo-stand-in:1"));
        Map<String, Http> services = new TreeMap<>();
        COMPOSE_PORTS.forEach((service, variable) -> {
            int port = Stores.freePort();
            environment.put(variable, String.valueOf(port));
            services.put(service, Http.at("http://127.0.0.1:" + port).withTimeout(Duration.ofSeconds(5)));
        });
        String project = "microcanary" + ProcessHandle.current().pid();
        compose(environment, "-p", project, "up", "-d", "--no-build");
        try {
            for (Map.Entry<String, Http> service : services.entrySet()) {
                Poller.within(Duration.ofSeconds(120)).until(service.getKey() + " in compose to be ready",
                        () -> service.getValue().answersOk("/health/readiness"));
            }
            Http.Response person = services.get("addressbook").putForm("/person", "firstName=al&lastName=pacino");
            assertEquals(200, person.status(), person::toString);
            assertEquals("pacino", person.json().get("lastName").asText());

            Http.Response ireland = services.get("sava-cart-ie").get("/", "Accept", "text/html");
            assertTrue(ireland.body().contains("Dreamcatcher") && !ireland.body().contains("offline"), ireland::toString);
            Http.Response britain = services.get("sava-cart-uk").get("/", "Accept", "text/html");
            assertTrue(britain.body().contains("£") && !britain.body().contains("offline"), britain::toString);

            Http webapp = services.get("webapp");
            Http.Response result = webapp.postForm("/add/calculate", "first=2&second=3");
            assertTrue(result.body().contains("result = 5"), result::toString);
            Poller.within(Duration.ofSeconds(20)).until("2+3 in the audit trail",
                    () -> services.get("auditservice").get("/list").body().contains("2+3"));
            Poller.within(Duration.ofSeconds(20)).until("/add/calculate counted by the eventservice",
                    () -> services.get("eventservice").get("/summary").body().contains("\"/add/calculate\""));
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError("compose run failed; its logs:\n" + compose(environment, "-p", project, "logs",
                    "--no-color", "--tail", "40"), e);
        } finally {
            compose(environment, "-p", project, "down", "-v");
        }
    }

    /** Starts the image as the Deployment would and returns the milliseconds until /health/readiness answered 200. */
    private static long runUntilReady(String image, Map<String, String> settings) throws Exception {
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
            Poller.within(Duration.ofSeconds(90)).until(image + " to be ready", () -> http.answersOk("/health/readiness"));
            return (System.nanoTime() - started) / 1_000_000;
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError(image + " did not become ready; its log:\n" + docker.docker("logs", container), e);
        } finally {
            docker.docker("rm", "-f", container);
        }
    }

    private static String script(Map<String, String> environment, String... command) throws Exception {
        List<String> line = new ArrayList<>(List.of("bash"));
        line.addAll(List.of(command));
        return run(line, environment, Duration.ofMinutes(10));
    }

    private static String compose(Map<String, String> environment, String... arguments) throws Exception {
        List<String> line = new ArrayList<>(List.of("docker-compose"));
        line.addAll(List.of(arguments));
        return run(line, environment, Duration.ofMinutes(5));
    }

    private static String run(List<String> line, Map<String, String> environment, Duration limit) throws Exception {
        return docker.inRepository(line, environment, limit);
    }

}
