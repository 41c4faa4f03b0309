package io.microcanary.systemtests;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the checkout is, found from this module's directory (Maven runs tests with the module as working dir). */
final class Repository {

    private Repository() {
    }

    static Path root() {
        Path here = Path.of("").toAbsolutePath();
        for (Path candidate = here; candidate != null; candidate = candidate.getParent()) {
            if (Files.isExecutable(candidate.resolve("run-local.sh")) && Files.exists(candidate.resolve("mvnw"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("no checkout root (with run-local.sh and mvnw) above " + here);
    }
}
