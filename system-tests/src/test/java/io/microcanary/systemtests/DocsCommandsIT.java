package io.microcanary.systemtests;

import io.microcanary.testsupport.Poller;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs every shell block of the README and docs/ as written, in order, from the checkout root, so the docs
 * cannot rot. Blocks that cannot run here say why in the doc itself (see {@link DocBlock}).
 */
class DocsCommandsIT {

    /** The README's commands use the documented ports; they must be free, or the result would mean nothing. */
    private static final int[] DOCUMENTED_PORTS = {3001, 5432, 6379, 27017};

    @TestFactory
    Stream<DynamicTest> everyShellBlockOfEveryDocRunsAsWritten() throws IOException {
        Path root = Repository.root();
        List<Path> docs = new ArrayList<>(List.of(root.resolve("README.md")));
        if (Files.isDirectory(root.resolve("docs"))) {
            try (Stream<Path> files = Files.list(root.resolve("docs"))) {
                files.filter(f -> f.toString().endsWith(".md")).sorted().forEach(docs::add);
            }
        }
        return docs.stream().map(doc -> DynamicTest.dynamicTest(root.relativize(doc).toString(), () -> runDoc(root, doc)));
    }

    private void runDoc(Path root, Path doc) throws Exception {
        List<DocBlock> blocks = DocBlock.parse(doc, Files.readString(doc));
        List<Process> background = new ArrayList<>();
        FakeCluster cluster = null;
        try {
            for (DocBlock block : blocks) {
                switch (block.mode()) {
                    case NOT_RUN -> System.err.println(block.where() + ": not run: " + block.options().get("reason"));
                    case BACKGROUND -> background.add(startInBackground(root, block));
                    case RUN -> run(root, block, Map.of());
                    case CLUSTER -> {
                        if (cluster == null) {
                            cluster = new FakeCluster(root);
                        }
                        run(root, block, cluster.environment());
                    }
                }
            }
        } finally {
            if (cluster != null) {
                cluster.close();
            }
            for (Process process : background) {
                process.destroy(); // TERM: the same trap as Ctrl-C, so the block's own clean-up runs
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly();
                }
            }
        }
    }

    private static void run(Path root, DocBlock block, Map<String, String> environment) throws Exception {
        Path output = Files.createTempFile("doc-block-", ".out");
        Process process = shell(root, block, output, environment);
        boolean finished = process.waitFor(Long.parseLong(block.options().getOrDefault("timeout", "120")), TimeUnit.SECONDS);
        String printed = Files.readString(output);
        if (!finished) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw new AssertionError(block.where() + " did not finish:\n" + block.script() + printed);
        }
        assertEquals(0, process.exitValue(), () -> block.where() + " failed:\n" + block.script() + "--- output:\n" + printed);
        String expected = block.options().get("expect");
        if (expected != null) {
            assertTrue(printed.contains(expected), () -> block.where() + " should print '" + expected + "' but printed:\n" + printed);
        }
        Files.delete(output);
    }

    private static Process startInBackground(Path root, DocBlock block) throws IOException {
        for (int port : DOCUMENTED_PORTS) {
            assertPortFree(port);
        }
        Path output = Files.createTempFile("doc-background-", ".out");
        Process process = shell(root, block, output, Map.of());
        String until = block.options().get("until");
        Poller.within(Duration.ofSeconds(Long.parseLong(block.options().getOrDefault("timeout", "300"))))
                .until(block.where() + " to print '" + until + "'", () -> {
                    if (!process.isAlive()) {
                        throw new AssertionError(block.where() + " exited " + process.exitValue() + ":\n" + read(output));
                    }
                    return read(output);
                }, printed -> printed.contains(until), DocsCommandsIT::lastLine);
        return process;
    }

    private static Process shell(Path root, DocBlock block, Path output, Map<String, String> environment)
            throws IOException {
        ProcessBuilder builder = new ProcessBuilder("bash", "-euo", "pipefail", "-c", block.script())
                .directory(root.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().putAll(environment);
        return builder.start();
    }

    private static void assertPortFree(int port) {
        try (ServerSocket socket = new ServerSocket(port)) {
            socket.setReuseAddress(true);
        } catch (IOException e) {
            throw new AssertionError("port " + port + " is in use; the documented commands need it free", e);
        }
    }

    private static String lastLine(String text) {
        String[] lines = text.strip().split("\\R");
        return lines.length == 0 ? "" : lines[lines.length - 1];
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void markersAreParsedAndANotRunBlockMustSayWhy() {
        Path doc = Path.of("doc.md");
        List<DocBlock> blocks = DocBlock.parse(doc, """
                <!-- docs-test: background until="ready" -->
                ```bash
                ./run-local.sh
                ```
                ```bash
                curl localhost
                ```
                <!-- docs-test: not-run reason="needs a cluster" -->
                ```bash
                kubectl get pods
                ```
                ```text
                not a shell block
                ```
                """);

        assertEquals(List.of(DocBlock.Mode.BACKGROUND, DocBlock.Mode.RUN, DocBlock.Mode.NOT_RUN),
                blocks.stream().map(DocBlock::mode).toList());
        assertEquals("ready", blocks.get(0).options().get("until"));
        assertEquals("curl localhost\n", blocks.get(1).script());
        assertEquals(5, blocks.get(1).line());
        IllegalStateException error = assertThrows(IllegalStateException.class, () -> DocBlock.parse(doc, """
                <!-- docs-test: not-run -->
                ```bash
                kubectl get pods
                ```
                """));
        assertEquals("doc.md:2: a not-run block must give a reason=\"...\"", error.getMessage());
    }
}
