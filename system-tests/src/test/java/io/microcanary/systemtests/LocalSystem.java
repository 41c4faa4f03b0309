package io.microcanary.systemtests;

import io.microcanary.testsupport.Checkout;

import io.microcanary.testsupport.Poller;
import io.microcanary.localstores.Stores;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Services started by ./run-local.sh on free ports, as a user would start them; stopped with TERM. */
final class LocalSystem implements AutoCloseable {

    private final Process script;
    private final Path state;
    private final Map<String, Integer> ports = new HashMap<>();
    private final Map<String, String> env;

    LocalSystem(List<String> services) throws IOException {
        state = Files.createTempDirectory("local-system-");
        env = new HashMap<>(Map.of("POSTGRES_PORT", "0", "REDIS_PORT", "0", "MONGO_PORT", "0",
                "RUN_LOCAL_DIR", state.toString()));
        for (String service : List.of("addressbook", "sava-product", "sava-cart-ie", "sava-cart-uk", "adderservice",
                "auditservice", "eventservice", "webapp")) {
            int port = Stores.freePort();
            ports.put(service, port);
            env.put(service.toUpperCase().replace('-', '_') + "_PORT", String.valueOf(port));
        }
        ProcessBuilder builder = new ProcessBuilder(new java.util.ArrayList<>(List.of("bash", "run-local.sh")))
                .directory(Checkout.root().toFile())
                .redirectOutput(state.resolve("stdout.txt").toFile())
                .redirectError(state.resolve("stderr.txt").toFile());
        builder.command().addAll(services);
        builder.environment().putAll(env);
        script = builder.start();
        Poller.within(Duration.ofSeconds(240)).until("run-local.sh to start " + services, () -> {
            if (!script.isAlive()) {
                throw new AssertionError("run-local.sh exited " + script.exitValue() + ": " + read("stderr.txt"));
            }
            return read("stderr.txt").contains("micro-canary is running");
        });
    }

    /** What {@code ./run-local.sh <verb> <service>} printed, run from another terminal, and how it exited. */
    record Control(int exitCode, String output) {
    }

    Control control(String verb, String service) throws IOException, InterruptedException {
        Path output = Files.createTempFile(state, "control-", ".txt");
        ProcessBuilder builder = new ProcessBuilder("bash", "run-local.sh", verb, service)
                .directory(Checkout.root().toFile()).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().putAll(env);
        Process control = builder.start();
        if (!control.waitFor(150, TimeUnit.SECONDS)) {
            control.destroyForcibly();
            throw new AssertionError("run-local.sh " + verb + " " + service + " did not finish: " + Files.readString(output));
        }
        return new Control(control.exitValue(), Files.readString(output));
    }

    /** The PID run-local.sh wrote for a service it started. */
    long pid(String service) {
        return Long.parseLong(read(service + ".pid").strip());
    }

    /** Everything run-local.sh has printed on stderr so far. */
    String printed() {
        return read("stderr.txt");
    }

    boolean running() {
        return script.isAlive();
    }

    /** Stops it as Ctrl-C would and returns its exit code. */
    int stop() throws InterruptedException, IOException {
        // TERM shares the INT trap; a test runner in the background may hand its children an ignored INT
        new ProcessBuilder("kill", "-TERM", String.valueOf(script.pid())).start().waitFor(5, TimeUnit.SECONDS);
        if (!script.waitFor(60, TimeUnit.SECONDS)) {
            throw new AssertionError("run-local.sh did not stop within a minute: " + printed());
        }
        return script.exitValue();
    }

    String url(String service) {
        return "http://localhost:" + ports.get(service);
    }

    /** A value the dev stack wrote for the services, e.g. REDIS_URI. */
    String stackValue(String name) {
        return read("dev-stack.env").lines().filter(line -> line.startsWith(name + "="))
                .map(line -> line.substring(name.length() + 2, line.length() - 1)).findFirst().orElseThrow();
    }

    private String read(String file) {
        try {
            Path path = state.resolve(file);
            return Files.exists(path) ? Files.readString(path) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        script.destroy();
        if (!script.waitFor(60, TimeUnit.SECONDS)) {
            script.descendants().forEach(ProcessHandle::destroyForcibly);
            script.destroyForcibly();
        }
    }
}
