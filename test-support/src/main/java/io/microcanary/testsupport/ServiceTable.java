package io.microcanary.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/** One row of scripts/services.txt, the table of services the scripts read: one row per Deployment. */
public record ServiceTable(String service, String module, int localPort, int containerPort, int servicePort) {

    public static List<ServiceTable> rows() {
        try {
            return Files.readAllLines(Checkout.root().resolve("scripts/services.txt")).stream()
                    .filter(line -> !line.isBlank() && !line.startsWith("#"))
                    .map(line -> line.strip().split("\\s+"))
                    .map(c -> new ServiceTable(c[0], c[1], Integer.parseInt(c[2]), Integer.parseInt(c[3]),
                            Integer.parseInt(c[4])))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ServiceTable of(String service) {
        return rows().stream().filter(row -> row.service.equals(service)).findFirst()
                .orElseThrow(() -> new NoSuchElementException("no service " + service + " in scripts/services.txt"));
    }

    /** The Maven modules of the services, in the table's order, each once. */
    public static List<String> modules() {
        return rows().stream().map(ServiceTable::module).distinct().toList();
    }

    /** The Deployments' names. */
    public static List<String> services() {
        return rows().stream().map(ServiceTable::service).toList();
    }

    /** Each module's container port (the image's PORT). */
    public static Map<String, Integer> containerPorts() {
        Map<String, Integer> ports = new LinkedHashMap<>();
        rows().forEach(row -> ports.put(row.module(), row.containerPort()));
        return Map.copyOf(ports);
    }
}
