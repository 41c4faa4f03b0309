package io.microcanary.systemtests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One row of scripts/services.txt, the table of services the scripts read: one row per Deployment. */
record ServiceTable(String service, String module, int localPort, int containerPort, int servicePort) {

    static List<ServiceTable> rows() {
        try {
            return Files.readAllLines(Repository.root().resolve("scripts/services.txt")).stream()
                    .filter(line -> !line.isBlank() && !line.startsWith("#"))
                    .map(line -> line.strip().split("\\s+"))
                    .map(c -> new ServiceTable(c[0], c[1], Integer.parseInt(c[2]), Integer.parseInt(c[3]), Integer.parseInt(c[4])))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Each module's container port (the image's PORT). */
    static Map<String, Integer> containerPorts() {
        Map<String, Integer> ports = new LinkedHashMap<>();
        rows().forEach(row -> ports.put(row.module(), row.containerPort()));
        return Map.copyOf(ports);
    }
}
