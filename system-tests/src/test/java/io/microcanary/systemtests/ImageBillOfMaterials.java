package io.microcanary.systemtests;

import io.microcanary.testsupport.Checkout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CycloneDX bill of materials an image carries at {@link #PATH}, as both image recipes put it there: the one the
 * build wrote for the service's jar (SoftwareBillOfMaterialsIT checks that against the jar), naming the service and
 * the dependencies it really runs on, and none of its test dependencies.
 */
final class ImageBillOfMaterials {

    static final String PATH = "/app/sbom/bom.json";

    private static final List<String> EVERY_SERVICE = List.of("io.microcanary:service-support",
            "io.micronaut:micronaut-http-server-netty");
    private static final Map<String, List<String>> OWN_STORES = Map.of(
            "addressbook", List.of("org.postgresql:postgresql", "org.flywaydb:flyway-core", "io.micronaut.data:micronaut-data-jdbc"),
            "auditservice", List.of("org.mongodb:mongodb-driver-sync"),
            "eventservice", List.of("org.mongodb:mongodb-driver-sync", "io.lettuce:lettuce-core"),
            "webapp", List.of("io.lettuce:lettuce-core"));
    private static final Set<String> NEVER_SHIPPED = Set.of("io.lettuce:lettuce-core", "org.mongodb:mongodb-driver-sync",
            "org.postgresql:postgresql");
    private static final List<String> TEST_ONLY = List.of("org.junit.jupiter:junit-jupiter-api", "io.microcanary:test-support",
            "io.microcanary:local-stores");

    private ImageBillOfMaterials() {
    }

    private static Set<String> purls(JsonNode bom) {
        Set<String> purls = new TreeSet<>();
        bom.get("components").forEach(c -> purls.add(c.get("purl").asText()));
        return purls;
    }

    static void check(String service, byte[] inImage) throws IOException {
        ObjectMapper json = new ObjectMapper();
        JsonNode bom = json.readTree(inImage);
        // the components by package URL, not the whole file: a later package of the same jar writes a new timestamp,
        // and a rebuilt snapshot dependency new hashes
        JsonNode built = json.readTree(Files.readAllBytes(Checkout.root().resolve(service + "/target/bom.json")));
        assertEquals(purls(built), purls(bom), service + ": the image carries the bill of materials of the jar it was built from");
        assertEquals("CycloneDX", bom.get("bomFormat").asText(), service);
        assertEquals(service, bom.at("/metadata/component/name").asText(), service + " is the component described");
        Set<String> listed = new TreeSet<>();
        bom.get("components").forEach(c -> listed.add(c.get("group").asText() + ":" + c.get("name").asText()));
        List<String> own = OWN_STORES.getOrDefault(service, List.of());
        for (String dependency : EVERY_SERVICE) {
            assertTrue(listed.contains(dependency), service + " lists " + dependency + ": " + listed);
        }
        for (String dependency : own) {
            assertTrue(listed.contains(dependency), service + " lists its store client " + dependency + ": " + listed);
        }
        for (String driver : NEVER_SHIPPED) {
            if (!own.contains(driver)) {
                assertFalse(listed.contains(driver), service + " does not carry " + driver + ", so its BOM does not list it");
            }
        }
        for (String test : TEST_ONLY) {
            assertFalse(listed.contains(test), service + ": a test dependency is not in the image: " + test);
        }
    }
}
