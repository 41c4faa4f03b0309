package io.microcanary.support.startup;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * With {@code MICRO_CANARY_EXIT_AFTER_START=true} the service starts, answers its own training requests, then exits
 * 0: the training run whose classes (and, on JDK 25 or newer, method profiles and linked classes) the JVM writes at
 * exit, with {@code -XX:ArchiveClassesAtExit} (a class-data-sharing archive) or {@code -XX:AOTCacheOutput} (an
 * ahead-of-time cache). Used by the image build and {@code bench/startup.sh}; the next start maps it and is ready
 * sooner, and its first requests find their classes loaded.
 *
 * <p>The requests are the service's own (the resource {@value #REQUESTS}, a line each: {@code METHOD PATH [form
 * body]}), plus the probes and metrics every service has, repeated for {@code micro-canary.training.seconds}. Their
 * answers do not matter: where the build has no database the store routes answer 503, a path worth loading too.
 * They go over a plain socket, so the training loads no HTTP client classes the service never uses.
 */
@Singleton
@Requires(property = "micro-canary.exit-after-start", value = "true")
final class TrainingRun implements ApplicationEventListener<ServerStartupEvent> {

    private static final Logger LOG = LoggerFactory.getLogger(TrainingRun.class);
    private static final List<String> EVERY_SERVICE = List.of("GET /health/readiness", "GET /health/liveness", "GET /prometheus",
            "GET /no-such-route");

    static final String REQUESTS = "micro-canary/training-requests.txt";

    private final List<String> requests;
    private final long seconds;

    TrainingRun(@Value("${micro-canary.training.seconds:5}") long seconds) {
        this.requests = Stream.concat(serviceRequests(), EVERY_SERVICE.stream()).toList();
        this.seconds = seconds;
    }

    private static Stream<String> serviceRequests() {
        try (InputStream in = TrainingRun.class.getClassLoader().getResourceAsStream(REQUESTS)) {
            if (in == null) {
                return Stream.empty();
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(line -> !line.isBlank() && !line.startsWith("#")).toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + REQUESTS, e);
        }
    }

    @Override
    public void onApplicationEvent(ServerStartupEvent event) {
        EmbeddedServer server = event.getSource();
        // a thread of its own: System.exit waits for shutdown hooks, which must not wait on this event's thread
        new Thread(() -> trainThenExit(server.getPort()), "training-run").start();
    }

    private void trainThenExit(int port) {
        int answered = train(port);
        LOG.info("training run: {} requests answered; exiting as micro-canary.exit-after-start asks", answered);
        System.exit(0);
    }

    /** Sends the training requests, round after round, for the configured seconds: returns how many were answered. */
    int train(int port) {
        int answered = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            for (String request : requests) {
                answered += send(port, request) ? 1 : 0;
            }
        }
        return answered;
    }

    private static boolean send(int port, String request) {
        String[] parts = request.strip().split(" ", 3);
        String body = parts.length > 2 ? parts[2] : "";
        String head = parts[0] + " " + parts[1] + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nAccept: */*\r\n"
                + (body.isEmpty() ? "" : "Content-Type: application/x-www-form-urlencoded\r\n")
                + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n";
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write((head + body).getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            return in.readAllBytes().length > 0;
        } catch (IOException e) {
            return false; // a slow or failing route is still trained as far as it went
        }
    }
}
