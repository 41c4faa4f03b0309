package io.microcanary.systemtests;

import io.microcanary.testsupport.Checkout;
import io.microcanary.testsupport.ServiceTable;

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
 *
 * <p>The local commands use the documented ports, which a developer's own PostgreSQL, Redis or MongoDB (or a
 * run-local.sh of theirs) may hold. So they run in a network namespace of their own, and while they run this test
 * holds every documented port of the machine itself: it proves the docs work beside such servers, every time.
 *
 * <p>The cluster commands run against {@link FakeCluster}: an emulated API server, with real processes of this
 * checkout's sava-product and addressbook jars behind their pods and a real PostgreSQL behind addressbook. What it
 * cannot see: kube-proxy and cluster DNS (a pod reaches no Service by name, so services that call others are not
 * run; from the machine, pods are reached through the API server's service proxy and port-forwards), the images'
 * contents (both tracks run this checkout's jar; only their version label and pod name differ, and stable's
 * addressbook stands for the image before the release by leaving out the newest migration), and anything a real
 * kubelet would add to the readiness probe's timing (it is probed every second).
 */
class DocsCommandsIT {

    /** The stores' standard ports and the services' local ports of the README. */
    private static final int[] DOCUMENTED_PORTS = java.util.stream.IntStream.concat(java.util.stream.IntStream.of(5432, 6379, 27017),
            ServiceTable.rows().stream().mapToInt(ServiceTable::localPort)).toArray();

    /** Every doc unless {@code -Ddocs.only=tutorial.md} names one, for a quicker round while editing it. */
    @TestFactory
    Stream<DynamicTest> everyShellBlockOfEveryDocRunsAsWritten() throws IOException {
        Path root = Checkout.root();
        String only = System.getProperty("docs.only", "");
        return docs(root).stream().filter(doc -> only.isEmpty() || doc.getFileName().toString().equals(only)).map(doc -> DynamicTest.dynamicTest(root.relativize(doc).toString(), () -> runDoc(root, doc)));
    }

    /** Log lines and messages the docs quote (marked, see {@link QuotedMessages}) are what the code prints. */
    @TestFactory
    Stream<DynamicTest> everyMessageTheDocsQuoteIsInTheCode() throws IOException {
        Path root = Checkout.root();
        String code = sources(root);
        List<QuotedMessages> quotes = new ArrayList<>();
        for (Path doc : docs(root)) {
            quotes.addAll(QuotedMessages.parse(doc, Files.readString(doc)));
        }
        assertTrue(quotes.size() >= 10, () -> "the docs mark their quoted messages: " + quotes);
        return quotes.stream().map(quote -> DynamicTest.dynamicTest(quote.where() + " " + quote.quote(), () -> {
            for (String part : quote.fixedParts()) {
                assertTrue(code.contains(part), () -> quote.where() + " quotes '" + part + "', which no source prints");
            }
        }));
    }

    private static List<Path> docs(Path root) throws IOException {
        List<Path> docs = new ArrayList<>(List.of(root.resolve("README.md")));
        if (Files.isDirectory(root.resolve("docs"))) {
            try (Stream<Path> files = Files.list(root.resolve("docs"))) {
                files.filter(f -> f.toString().endsWith(".md")).sorted().forEach(docs::add);
            }
        }
        return docs;
    }

    /** Every main source and script of the repository, as one text (tests and docs excluded). */
    private static String sources(Path root) throws IOException {
        StringBuilder code = new StringBuilder();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String path = root.relativize(file).toString();
                boolean main = path.contains("/src/main/") && !path.contains("/target/");
                boolean script = path.endsWith(".sh") && !path.contains("/target/") && !path.contains("/src/test/")
                        || path.equals("deployer/canary") || path.equals("report/report");
                if (main || script) {
                    code.append(Files.readString(file)).append('\n');
                }
            }
        }
        return code.toString();
    }

    private void runDoc(Path root, Path doc) throws Exception {
        List<DocBlock> blocks = DocBlock.parse(doc, Files.readString(doc));
        List<Process> background = new ArrayList<>();
        FakeCluster cluster = null;
        List<ServerSocket> held = holdDocumentedPorts();
        // run-local.sh's state of its own, so a developer's run-local.sh in this checkout is not the one addressed
        Map<String, String> localEnvironment = Map.of("RUN_LOCAL_DIR",
                Files.createTempDirectory("docs-run-local-").toString());
        // every block runs even after one fails, so one broken block (a cluster one, say) hides nothing after it
        List<AssertionError> failures = new ArrayList<>();
        try (NetworkNamespace local = new NetworkNamespace()) {
            for (DocBlock block : blocks) {
                try {
                    switch (block.mode()) {
                        case NOT_RUN -> System.err.println(block.where() + ": not run: " + block.options().get("reason"));
                        case BACKGROUND -> background.add(startInBackground(root, block, localEnvironment, local));
                        case RUN -> run(root, block, localEnvironment, local);
                        case CLUSTER -> {
                            if (cluster == null) {
                                cluster = new FakeCluster(root);
                            }
                            // the emulated API server listens on this machine's loopback, outside the namespace
                            run(root, block, cluster.environment(block.options().get("commit")), null);
                        }
                    }
                } catch (AssertionError failure) {
                    failures.add(failure);
                }
            }
            if (!failures.isEmpty()) {
                AssertionError all = new AssertionError(failures.size() + " block(s) of " + doc.getFileName() + " failed:\n"
                        + failures.stream().map(Throwable::getMessage).collect(java.util.stream.Collectors.joining("\n")));
                failures.forEach(all::addSuppressed);
                throw all;
            }
        } finally {
            for (ServerSocket socket : held) {
                socket.close();
            }
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

    private static void run(Path root, DocBlock block, Map<String, String> environment, NetworkNamespace namespace)
            throws Exception {
        Path output = Files.createTempFile("doc-block-", ".out");
        Process process = shell(root, block, output, environment, namespace);
        boolean finished = process.waitFor(Long.parseLong(block.options().getOrDefault("timeout", "120")), TimeUnit.SECONDS);
        String printed = Files.readString(output);
        if (!finished) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw new AssertionError(block.where() + " did not finish:\n" + block.script() + printed);
        }
        assertEquals(0, process.exitValue(), () -> block.where() + " failed:\n" + block.script() + "--- output:\n" + printed);
        for (String expected : block.expectations()) {
            assertTrue(printed.contains(expected), () -> block.where() + " should print '" + expected + "' but printed:\n" + printed);
        }
        Files.delete(output);
    }

    private static Process startInBackground(Path root, DocBlock block, Map<String, String> environment,
            NetworkNamespace namespace) throws IOException {
        Path output = Files.createTempFile("doc-background-", ".out");
        Process process = shell(root, block, output, environment, namespace);
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

    private static Process shell(Path root, DocBlock block, Path output, Map<String, String> environment,
            NetworkNamespace namespace) throws IOException {
        List<String> command = List.of("bash", "-euo", "pipefail", "-c", block.script());
        ProcessBuilder builder = new ProcessBuilder(namespace == null ? command : namespace.inside(command))
                .directory(root.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().putAll(environment);
        return builder.start();
    }

    /** Takes every documented port of this machine that is free; the others are already someone else's. */
    private static List<ServerSocket> holdDocumentedPorts() {
        List<ServerSocket> held = new ArrayList<>();
        for (int port : DOCUMENTED_PORTS) {
            try {
                held.add(new ServerSocket(port));
            } catch (IOException alreadyTaken) {
                System.err.println("port " + port + " is already in use on this machine");
            }
        }
        return held;
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
    void quotedMessagesAreTheMarkedBlocksLinesAndTheMarkedParagraphsSpans() {
        List<QuotedMessages> quotes = QuotedMessages.parse(Path.of("doc.md"), """
                `not marked`
                <!-- docs-test: quotes-code -->
                ```text
                stopped
                pod … is in CrashLoopBackOff
                ```
                <!-- docs-test: quotes-code -->
                It prints `database unreachable` and
                `database did not answer`.

                `not marked either`
                """);

        assertEquals(List.of("stopped", "pod … is in CrashLoopBackOff", "database unreachable", "database did not answer"),
                quotes.stream().map(QuotedMessages::quote).toList());
        assertEquals(List.of("pod ", " is in CrashLoopBackOff"), quotes.get(1).fixedParts());
        assertEquals("doc.md:9", quotes.get(3).where());
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
        assertEquals(List.of("a", "b c"), DocBlock.parse(doc, """
                <!-- docs-test: cluster expect="a" expect="b c" -->
                ```bash
                true
                ```
                """).get(0).expectations());
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
