package io.microcanary.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;

/** The checkout the tests run in: found upwards from the working directory (a module's), where mvnw and run-local.sh are. */
public final class Checkout {

    private Checkout() {
    }

    public static Path root() {
        Path here = Path.of("").toAbsolutePath();
        for (Path candidate = here; candidate != null; candidate = candidate.getParent()) {
            if (Files.isExecutable(candidate.resolve("run-local.sh")) && Files.exists(candidate.resolve("mvnw"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("no checkout root (with run-local.sh and mvnw) above " + here);
    }
}
