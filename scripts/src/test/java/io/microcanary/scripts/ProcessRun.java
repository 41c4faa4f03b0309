package io.microcanary.scripts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A command run to its end in a directory, within a limit, with what it printed (standard output and error together). */
record ProcessRun(int exitCode, String output) {

    /** Runs {@code command} in {@code dir} with {@code env} added to this process's environment, less {@code unset}. */
    static ProcessRun of(List<String> command, Path dir, Map<String, String> env, Duration limit, String... unset)
            throws IOException, InterruptedException {
        Path output = Files.createTempFile("process-", ".out");
        try {
            ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command)).directory(dir.toFile())
                    .redirectErrorStream(true).redirectOutput(output.toFile());
            for (String name : unset) {
                builder.environment().remove(name);
            }
            builder.environment().putAll(env);
            Process process = builder.start();
            if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(command + " did not finish within " + limit.toSeconds() + "s");
            }
            return new ProcessRun(process.exitValue(), Files.readString(output));
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
