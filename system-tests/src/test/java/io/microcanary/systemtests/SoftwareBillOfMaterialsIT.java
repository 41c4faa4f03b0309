package io.microcanary.systemtests;

import io.microcanary.testsupport.Checkout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every service's build leaves a CycloneDX bill of materials beside its runnable jar (target/bom.json), and it lists
 * what the jar really carries: each library that the shaded jar holds and that names itself (META-INF/maven/.../
 * pom.properties) is in the BOM at that version, or is carried inside a listed library ({@link #EMBEDDED}), and
 * nothing test-only is. What it cannot see: libraries that ship no pom.properties are checked only through the
 * BOM's own resolution.
 */
class SoftwareBillOfMaterialsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * Libraries that another dependency carries inside its own jar, under its own package (Netty relocates JCTools
     * into netty-common): no Maven metadata links them, so a Maven BOM names the carrier, not them. Listed here so
     * that a new one fails this test until someone looks at it.
     */
    private static final java.util.Map<String, String> EMBEDDED = java.util.Map.of(
            "org.jctools:jctools-core", "io.netty:netty-common");
    private static final Set<String> TEST_ONLY = Set.of("org.junit.jupiter:junit-jupiter-api",
            "io.micronaut.test:micronaut-test-junit5", "io.microcanary:test-support", "io.microcanary:local-stores", "org.testcontainers:testcontainers");

    @ParameterizedTest
    @ValueSource(strings = {"addressbook", "adderservice", "auditservice", "eventservice", "sava-cart", "sava-product",
            "webapp"})
    void theBillOfMaterialsListsWhatTheRunnableJarCarries(String service) throws IOException {
        Path target = Checkout.root().resolve(service).resolve("target");
        JsonNode bom = JSON.readTree(target.resolve("bom.json").toFile());
        assertEquals("CycloneDX", bom.get("bomFormat").asText());
        assertEquals(service, bom.at("/metadata/component/name").asText());
        Set<String> listed = new TreeSet<>();
        bom.get("components").forEach(c -> listed.add(c.get("group").asText() + ":" + c.get("name").asText() + ":"
                + c.get("version").asText()));

        Set<String> carried = carriedBy(Files.list(target)
                .filter(jar -> jar.getFileName().toString().matches(service + "-[0-9.]+(-SNAPSHOT)?\\.jar"))
                .findFirst().orElseThrow(() -> new AssertionError("no runnable jar of " + service + " in " + target)));
        carried.remove("io.microcanary:" + service + ":" + bom.at("/metadata/component/version").asText());

        assertTrue(carried.size() > 10, service + " carries libraries that name themselves: " + carried);
        Set<String> missing = new TreeSet<>(carried);
        missing.removeAll(listed);
        missing.removeIf(library -> {
            String carrier = EMBEDDED.get(library.substring(0, library.lastIndexOf(':')));
            return carrier != null && listed.stream().anyMatch(c -> c.startsWith(carrier + ":"));
        });
        assertEquals(Set.of(), missing, service + ": in the jar, not in its bill of materials");
        assertFalse(listed.stream().anyMatch(c -> TEST_ONLY.contains(c.substring(0, c.lastIndexOf(':')))),
                service + " lists test-only libraries: " + listed);
    }

    /** group:artifact:version of every library inside a shaded jar that ships its pom.properties. */
    private static Set<String> carriedBy(Path jar) throws IOException {
        Set<String> carried = new TreeSet<>();
        try (JarFile file = new JarFile(jar.toFile())) {
            for (JarEntry entry : java.util.Collections.list(file.entries())) {
                if (entry.getName().startsWith("META-INF/maven/") && entry.getName().endsWith("/pom.properties")) {
                    Properties properties = new Properties();
                    try (InputStream in = file.getInputStream(entry)) {
                        properties.load(in);
                    }
                    carried.add(properties.getProperty("groupId") + ":" + properties.getProperty("artifactId") + ":"
                            + properties.getProperty("version"));
                }
            }
        }
        return carried;
    }
}
