package io.microcanary.systemtests;

import io.microcanary.testsupport.Checkout;

import io.microcanary.testsupport.Poller;
import io.microcanary.testsupport.http.Http;
import io.microcanary.localstores.Stores;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One service's jar in its own JVM, configured by environment variables as its container is. */
final class ServiceProcess implements AutoCloseable {

    private final String service;
    private final int port;
    private final Process process;
    private final Path log;

    private ServiceProcess(String service, int port, Process process, Path log) {
        this.service = service;
        this.port = port;
        this.process = process;
        this.log = log;
    }

    /** Starts {@code service} on a free port and waits until its liveness endpoint answers. */
    static ServiceProcess start(String service, Map<String, String> environment) throws IOException {
        return start(service, environment, Stores.freePort());
    }

    /** Starts {@code service} on {@code port} (a restart keeps its address) and waits until it is alive. */
    static ServiceProcess start(String service, Map<String, String> environment, int port) throws IOException {
        Path jar = Checkout.root().resolve(service + "/target/" + service + "-0.1.0-SNAPSHOT.jar");
        Path log = Files.createTempFile(service + "-", ".log");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-Xmx256m", "-jar", jar.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        builder.environment().put("PORT", String.valueOf(port));
        ServiceProcess started = new ServiceProcess(service, port, builder.start(), log);
        Http http = Http.at("http://localhost:" + port).withTimeout(Duration.ofSeconds(2));
        Poller.within(Duration.ofSeconds(60)).until(service + " to be alive", () -> {
            if (!started.process.isAlive()) {
                throw new AssertionError(service + " exited: " + readQuietly(log));
            }
            return http.answersOk("/health/liveness");
        });
        return started;
    }

    private static String readQuietly(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    int port() {
        return port;
    }

    String url() {
        return "http://localhost:" + port;
    }

    /** SIGKILL: no shutdown hook, nothing flushed or acknowledged. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            throw new AssertionError(service + " survived SIGKILL");
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
