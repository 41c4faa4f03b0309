package io.microcanary.systemtests;

import io.microcanary.testsupport.Checkout;
import io.microcanary.testsupport.ServiceTable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.microcanary.testsupport.Poller;
import io.microcanary.testsupport.http.Http;
import io.microcanary.localstores.Stores;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every service's image built without a Docker daemon (scripts/jib-image.sh: Jib from scratch plus a jlink-ed JRE),
 * its config checked (non-root user, port, labels, entrypoint with the shared JVM flags), its files checked (a JRE,
 * the app, no shell or build tools), and one image run for real: its filesystem unpacked and started in a chroot as
 * uid 10001 in its own PID namespace, as close to a container as this machine gets without a daemon.
 */
class JibImagesIT {

    private static final Map<String, Integer> PORTS = ServiceTable.containerPorts();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static String tag;

    /** Builds every image once for both tests. */
    @BeforeAll
    static void buildImages() throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("bash", "scripts/jib-image.sh"));
        command.addAll(new java.util.TreeSet<>(PORTS.keySet()));
        Path output = Files.createTempFile("jib-", ".out");
        ProcessBuilder builder = new ProcessBuilder(command).directory(Checkout.root().toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile());
        // what the script records of its builds stays with the test, not the checkout's .run-local
        builder.environment().put("MICRO_CANARY_STATE", Files.createTempDirectory("jib-test-state-").toString());
        Process build = builder.start();
        assertTrue(build.waitFor(10, TimeUnit.MINUTES), "jib-image.sh finished");
        assertEquals(0, build.exitValue(), Files.readString(output));
        tag = Files.readString(output).lines().filter(line -> line.startsWith("micro-canary/adderservice:"))
                .findFirst().orElseThrow().split("[: ]")[1];
    }

    @Test
    void everyServiceImageBuildsDaemonlesslyAsANonRootImageWithoutBuildTools() throws Exception {
        Path root = Checkout.root();
        List<String> services = List.copyOf(new java.util.TreeSet<>(PORTS.keySet()));
        for (String service : services) {
            Image image = Image.read(root.resolve(service + "/target/jib-image.tar"));
            JsonNode config = image.config().get("config");
            assertEquals("10001:10001", config.get("User").asText(), service);
            assertTrue(config.get("ExposedPorts").has(PORTS.get(service) + "/tcp"), service + ": " + config);
            assertTrue(config.get("Env").toString().contains("PORT=" + PORTS.get(service)), service + ": " + config);
            assertEquals(service, config.get("Labels").get("io.microcanary.service").asText());
            assertEquals("[\"/opt/java/bin/java\",\"@/app/jvm.options\",\"-cp\",\"@/app/jib-classpath-file\","
                    + "\"@/app/jib-main-class-file\"]", config.get("Entrypoint").toString(), service);
            assertTrue(image.files().containsAll(List.of("opt/java/bin/java", "app/jvm.options", "app/jib-classpath-file")),
                    service);
            for (String tool : List.of("bin/sh", "bin/bash", "opt/java/bin/javac", "opt/java/bin/jar", "usr/bin/apt")) {
                assertFalse(image.files().contains(tool), service + " has no " + tool);
            }
            assertEquals("micro-canary/" + service + ":" + tag, image.repoTag(), service);
            assertEquals(ImageBillOfMaterials.PATH, config.get("Labels").get("io.microcanary.sbom").asText(), service);
            ImageBillOfMaterials.check(service, Image.file(root.resolve(service + "/target/jib-image.tar"),
                    ImageBillOfMaterials.PATH.substring(1)));
            System.err.printf("image %s: %.1f MB in %d layers%n", image.repoTag(), image.bytes() / 1e6, image.layers());
        }
    }

    @Test
    void theAdderserviceImageServesAsUid10001InAChroot() throws Exception {
        Path image = Checkout.root().resolve("adderservice/target/jib-image.tar");
        Path rootfs = Files.createTempDirectory("adderservice-rootfs-");
        Files.setPosixFilePermissions(rootfs, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Image.unpack(image, rootfs);
        int port = Stores.freePort();
        long started = System.nanoTime();
        Files.createDirectories(rootfs.resolve("proc"));
        // a fresh PID namespace with its own /proc (the JRE finds its libraries through /proc/self/exe), then the
        // image's filesystem as root directory and uid 10001, as a container runtime would set it up
        ProcessBuilder builder = new ProcessBuilder("unshare", "--fork", "--kill-child", "--pid", "--mount-proc=" + rootfs.resolve("proc"),
                "chroot", "--userspec=10001:10001", rootfs.toString(),
                "/opt/java/bin/java", "@/app/jvm.options", "-XX:MaxRAM=256m", "-cp", "@/app/jib-classpath-file",
                "@/app/jib-main-class-file").redirectErrorStream(true).redirectOutput(rootfs.resolve("../adderservice-chroot.log").normalize().toFile());
        builder.environment().put("PORT", String.valueOf(port));
        Process service = builder.start();
        try {
            Http http = Http.at("http://127.0.0.1:" + port).withTimeout(Duration.ofSeconds(2));
            Poller.within(Duration.ofSeconds(60)).until("the image's service to be ready", () -> {
                if (!service.isAlive()) {
                    throw new AssertionError("exited " + service.exitValue());
                }
                return http.answersOk("/health/readiness");
            });
            System.err.printf("adderservice image ready %d ms after start (chroot, uid 10001)%n",
                    (System.nanoTime() - started) / 1_000_000);
            assertEquals("{\"result\":5}", http.get("/add/2/3").body());
        } finally {
            // unshare ignores TERM while its child runs, so the service itself is told to stop; whatever is left
            // after the wait is killed (and --kill-child kills the service if unshare goes first)
            List<ProcessHandle> inside = service.descendants().toList();
            inside.forEach(ProcessHandle::destroy);
            if (!service.waitFor(20, TimeUnit.SECONDS)) {
                service.destroyForcibly();
            }
            inside.forEach(ProcessHandle::destroyForcibly);
        }
    }

    /** A docker-archive tarball as Jib writes it: manifest.json, a config and gzipped layers. */
    private record Image(JsonNode manifest, JsonNode config, Set<String> files, long bytes, int layers) {

        static Image read(Path tar) throws IOException {
            Map<String, byte[]> entries = entries(tar);
            JsonNode manifest = JSON.readTree(entries.get("manifest.json")).get(0);
            JsonNode config = JSON.readTree(entries.get(manifest.get("Config").asText()));
            Set<String> files = new LinkedHashSet<>();
            long bytes = 0;
            for (JsonNode layer : manifest.get("Layers")) {
                byte[] content = entries.get(layer.asText());
                bytes += content.length;
                try (TarArchiveInputStream in = new TarArchiveInputStream(new GZIPInputStream(new ByteArrayInputStream(content)))) {
                    for (TarArchiveEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                        files.add(entry.getName().replaceFirst("^\\./", "").replaceFirst("^/", ""));
                    }
                }
            }
            return new Image(manifest, config, files, bytes, manifest.get("Layers").size());
        }

        String repoTag() {
            return manifest.get("RepoTags").get(0).asText();
        }

        /** The content of one file of the image ({@code app/sbom/bom.json}), as the last layer that has it holds it. */
        static byte[] file(Path tar, String name) throws IOException {
            Map<String, byte[]> entries = entries(tar);
            JsonNode manifest = JSON.readTree(entries.get("manifest.json")).get(0);
            byte[] content = null;
            for (JsonNode layer : manifest.get("Layers")) {
                try (TarArchiveInputStream in = new TarArchiveInputStream(new GZIPInputStream(
                        new ByteArrayInputStream(entries.get(layer.asText()))))) {
                    for (TarArchiveEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                        if (entry.getName().replaceFirst("^\\./", "").replaceFirst("^/", "").equals(name)) {
                            content = in.readAllBytes();
                        }
                    }
                }
            }
            if (content == null) {
                throw new AssertionError(tar + " has no " + name);
            }
            return content;
        }

        /** Extracts the layers in order into {@code directory}, as a container runtime would. */
        static void unpack(Path tar, Path directory) throws IOException {
            Map<String, byte[]> entries = entries(tar);
            JsonNode manifest = JSON.readTree(entries.get("manifest.json")).get(0);
            for (JsonNode layer : manifest.get("Layers")) {
                try (TarArchiveInputStream in = new TarArchiveInputStream(new GZIPInputStream(
                        new ByteArrayInputStream(entries.get(layer.asText()))))) {
                    for (TarArchiveEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                        Path target = directory.resolve(entry.getName().replaceFirst("^/", "")).normalize();
                        if (!target.startsWith(directory)) {
                            throw new IOException("layer entry outside the image: " + entry.getName());
                        }
                        if (entry.isDirectory()) {
                            Files.createDirectories(target);
                        } else if (entry.isSymbolicLink()) {
                            Files.createDirectories(target.getParent());
                            Files.deleteIfExists(target);
                            Files.createSymbolicLink(target, Path.of(entry.getLinkName()));
                        } else {
                            Files.createDirectories(target.getParent());
                            Files.copy(in, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                            Files.setPosixFilePermissions(target, permissions(entry.getMode()));
                        }
                    }
                }
            }
        }

        private static Set<java.nio.file.attribute.PosixFilePermission> permissions(int mode) {
            Set<java.nio.file.attribute.PosixFilePermission> set = new java.util.HashSet<>();
            java.nio.file.attribute.PosixFilePermission[] all = java.nio.file.attribute.PosixFilePermission.values();
            for (int bit = 0; bit < 9; bit++) {
                if ((mode & (1 << (8 - bit))) != 0) {
                    set.add(all[bit]);
                }
            }
            return set;
        }

        private static Map<String, byte[]> entries(Path tar) throws IOException {
            Map<String, byte[]> entries = new HashMap<>();
            try (InputStream file = Files.newInputStream(tar); TarArchiveInputStream in = new TarArchiveInputStream(file)) {
                for (TarArchiveEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                    entries.put(entry.getName(), in.readAllBytes());
                }
            }
            return entries;
        }
    }
}
