package io.microcanary.k8s;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;
import java.util.NoSuchElementException;

/** One row of scripts/services.txt, the table of services the scripts read: one row per Deployment. */
record ServiceTable(String service, String module, int localPort, int containerPort, int servicePort) {

    static List<ServiceTable> rows() {
        try {
            return Files.readAllLines(Rendered.root().resolve("scripts/services.txt")).stream()
                    .filter(line -> !line.isBlank() && !line.startsWith("#"))
                    .map(line -> line.strip().split("\\s+"))
                    .map(c -> new ServiceTable(c[0], c[1], Integer.parseInt(c[2]), Integer.parseInt(c[3]), Integer.parseInt(c[4])))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ServiceTable of(String service) {
        return rows().stream().filter(row -> row.service.equals(service)).findFirst()
                .orElseThrow(() -> new NoSuchElementException("no service " + service + " in scripts/services.txt"));
    }

    /** The Maven modules of the services, in the table's order, each once. */
    static List<String> modules() {
        return rows().stream().map(ServiceTable::module).distinct().toList();
    }

    /** The Deployments' names. */
    static List<String> services() {
        return rows().stream().map(ServiceTable::service).toList();
    }
}
