package io.microcanary.deployer.emulation;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Request bodies compared byte for byte with files under {@code src/test/resources/golden}: what the harness sends a
 * real API server is reviewed as a file. After a deliberate change, {@code -Dgolden.update=true} rewrites them.
 */
public final class Golden {

    private static final Path DIRECTORY = Path.of("src/test/resources/golden");

    private Golden() {
    }

    public static void assertBody(String name, String body) {
        Path file = DIRECTORY.resolve(name);
        try {
            if (Boolean.getBoolean("golden.update")) {
                Files.createDirectories(file.getParent());
                Files.writeString(file, body + "\n", StandardCharsets.UTF_8);
            }
            if (!Files.exists(file)) {
                throw new AssertionError("no golden file " + file.toAbsolutePath() + " for the body " + body
                        + "\n(review the body, then write it with -Dgolden.update=true)");
            }
            assertEquals(Files.readString(file, StandardCharsets.UTF_8), body + "\n", "body differs from " + file);
        } catch (IOException e) {
            throw new AssertionError("cannot read " + file, e);
        }
    }
}
