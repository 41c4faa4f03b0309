package io.microcanary.systemtests;

import io.microcanary.testsupport.Poller;
import io.microcanary.testsupport.http.Http;
import io.microcanary.localstores.Stores;
import org.junit.jupiter.api.Test;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A rolling update under steady load loses no request: two adderservice pods behind a Service (a
 * {@link RoundRobinProxy} that takes a pod out of rotation only after its readiness probe fails, and a while later, as
 * a cluster does); a third pod starts, becomes ready and joins; the first gets SIGTERM as the kubelet sends it. Its
 * drain delay (service-support's graceful shutdown) outlasts the proxy's lag, so every connection the proxy still
 * sends it is served, and the requests in flight when it stops accepting finish.
 */
class RollingReplacementIT {

    /** The Deployments' figure is 10 s against a cluster's lag of a few seconds; here the lag is at most ~1.5 s. */
    private static final String DRAIN_DELAY = "4s";
    private static final Duration PROBE_PERIOD = Duration.ofSeconds(1);
    private static final Duration PROPAGATION = Duration.ofMillis(500);
    private static final int CLIENTS = 4;
    /** Each client opens a new connection after this many requests, as pooled clients with a lifetime do. */
    private static final int REQUESTS_PER_CONNECTION = 5;

    @Test
    void replacingAPodUnderLoadFailsNoRequest() throws Exception {
        Map<String, String> drain = Map.of("MICRO_CANARY_SHUTDOWN_DRAIN_DELAY", DRAIN_DELAY);
        try (ServiceProcess old1 = pod("old-1", drain);
             ServiceProcess old2 = pod("old-2", drain);
             RoundRobinProxy service = RoundRobinProxy.to(port(old1)).dropsUnreadyBackends(PROBE_PERIOD, PROPAGATION);
             Load load = new Load(service.url())) {
            service.join(port(old2));
            load.start();
            Poller.within(Duration.ofSeconds(20)).until("both old pods to serve requests",
                    () -> load.servedBy("old-1") > 20 && load.servedBy("old-2") > 20);

            try (ServiceProcess replacement = pod("new-1", drain)) {
                Http.Response ready = Poller.within(Duration.ofSeconds(30)).until("the new pod to be ready",
                        () -> Http.at(replacement.url()).get("/health/readiness"), r -> r.status() == 200, Object::toString);
                assertEquals(200, ready.status());
                service.join(port(replacement));

                long servedByOldBeforeTerm = load.servedBy("old-1");
                long termSentAt = System.nanoTime();
                CompletableFuture<Void> terminated = CompletableFuture.runAsync(() -> closeQuietly(old1));
                terminated.get(40, TimeUnit.SECONDS);
                Duration toExit = Duration.ofNanos(System.nanoTime() - termSentAt);
                long servedByOldDuringDrain = load.servedBy("old-1") - servedByOldBeforeTerm;
                Poller.within(Duration.ofSeconds(10)).until("the terminated pod to leave the rotation",
                        () -> !service.inRotation(port(old1)));

                long newBefore = load.servedBy("new-1");
                Poller.within(Duration.ofSeconds(20)).until("the new pod to keep serving after the old one exited",
                        () -> load.servedBy("new-1") > newBefore + 20);
                load.stop();

                System.err.printf(Locale.ROOT, "served: %s; old-1 answered %d request(s) after SIGTERM and exited in %d ms;"
                        + " %d retried on a fresh connection after the server closed an idle one%n",
                        load.served, servedByOldDuringDrain, toExit.toMillis(), load.retries.get());
                assertEquals(List.of(), List.copyOf(load.failures), "no request failed during the rolling update");
                assertTrue(servedByOldDuringDrain > 0, "the terminating pod kept serving while the proxy caught up");
                assertTrue(load.servedBy("old-1") > 0 && load.servedBy("old-2") > 0 && load.servedBy("new-1") > 0,
                        "all three pods served: " + load.served);
                assertTrue(toExit.compareTo(Duration.ofSeconds(4)) >= 0, "the pod drained before it exited: " + toExit);
            }
        }
    }

    private static ServiceProcess pod(String name, Map<String, String> drain) throws IOException {
        Map<String, String> environment = new java.util.HashMap<>(drain);
        environment.put("POD_NAME", name);
        environment.put("APP_VERSION", "0.1.0");
        return ServiceProcess.start("adderservice", environment, Stores.freePort());
    }

    private static int port(ServiceProcess pod) {
        return URI.create(pod.url()).getPort();
    }

    private static void closeQuietly(ServiceProcess pod) {
        try {
            pod.close(); // SIGTERM, then wait for the exit
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * {@link #CLIENTS} threads sending {@code GET /add/a/b} back to back over HTTP/1.1 keep-alive, each on a new
     * connection every {@link #REQUESTS_PER_CONNECTION} requests or when the server says {@code Connection: close}.
     * Like any pooling client, a request that finds its reused connection closed by the server before any byte of an
     * answer is sent again on a new connection (RFC 9112, 9.3.1); anything else that goes wrong is a failure.
     */
    private static final class Load implements AutoCloseable {

        private final URI url;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final List<Thread> threads = new ArrayList<>();
        final Map<String, AtomicLong> served = new ConcurrentHashMap<>();
        final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        final AtomicLong retries = new AtomicLong();

        Load(String url) {
            this.url = URI.create(url);
        }

        void start() {
            for (int i = 0; i < CLIENTS; i++) {
                Thread client = new Thread(this::sendUntilStopped, "load-" + i);
                client.setDaemon(true);
                threads.add(client);
                client.start();
            }
        }

        long servedBy(String pod) {
            AtomicLong count = served.get(pod);
            return count == null ? 0 : count.get();
        }

        void stop() throws InterruptedException {
            running.set(false);
            for (Thread thread : threads) {
                thread.join(10_000);
            }
        }

        @Override
        public void close() throws InterruptedException {
            stop();
        }

        private void sendUntilStopped() {
            Connection connection = null;
            int n = 0;
            while (running.get()) {
                n++;
                String path = "/add/" + n + "/1";
                try {
                    if (connection == null || connection.used >= REQUESTS_PER_CONNECTION || connection.closedByServer) {
                        close(connection);
                        connection = new Connection(url);
                    }
                    Answer answer;
                    try {
                        answer = connection.get(path);
                    } catch (StaleConnection stale) {
                        retries.incrementAndGet();
                        close(connection);
                        connection = new Connection(url);
                        answer = connection.get(path);
                    }
                    String expected = "{\"result\":" + (n + 1) + "}";
                    if (answer.status != 200 || !expected.equals(answer.body)) {
                        failures.add(path + " -> " + answer.status + " " + answer.body);
                    } else {
                        served.computeIfAbsent(answer.pod, pod -> new AtomicLong()).incrementAndGet();
                    }
                } catch (IOException | RuntimeException e) {
                    failures.add(path + " -> " + e);
                    close(connection);
                    connection = null;
                }
            }
            close(connection);
        }

        private static void close(Connection connection) {
            if (connection != null) {
                connection.close();
            }
        }
    }

    private record Answer(int status, String pod, String body) {
    }

    /** The reused connection was closed before any byte of the answer came: safe to send a GET again. */
    private static final class StaleConnection extends IOException {
        StaleConnection(String message) {
            super(message);
        }
    }

    /** One HTTP/1.1 connection, just enough of the protocol for Content-Length answers. */
    private static final class Connection {

        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;
        private final String host;
        int used;
        boolean closedByServer;

        Connection(URI url) throws IOException {
            socket = new Socket(InetAddress.getLoopbackAddress(), url.getPort());
            socket.setSoTimeout(10_000);
            in = new BufferedInputStream(socket.getInputStream());
            out = socket.getOutputStream();
            host = "127.0.0.1:" + url.getPort();
        }

        Answer get(String path) throws IOException {
            boolean reused = used > 0;
            used++;
            try {
                out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } catch (IOException e) {
                throw reused ? new StaleConnection("write: " + e) : e;
            }
            String statusLine;
            try {
                statusLine = readLine();
            } catch (SocketException reset) {
                if (reused) {
                    throw new StaleConnection("read: " + reset);
                }
                throw reset;
            }
            if (statusLine == null) {
                if (reused) {
                    throw new StaleConnection("closed before an answer");
                }
                throw new IOException("a new connection closed before an answer");
            }
            int status = Integer.parseInt(statusLine.split(" ")[1]);
            int length = -1;
            String pod = "?";
            for (String line = readLine(); line != null && !line.isEmpty(); line = readLine()) {
                String name = line.substring(0, line.indexOf(':')).trim().toLowerCase(Locale.ROOT);
                String value = line.substring(line.indexOf(':') + 1).trim();
                switch (name) {
                    case "content-length" -> length = Integer.parseInt(value);
                    case "x-served-by" -> pod = value.substring(value.indexOf('/') + 1);
                    case "connection" -> closedByServer = value.equalsIgnoreCase("close");
                    default -> { }
                }
            }
            if (length < 0) {
                throw new IOException(path + ": answer without Content-Length");
            }
            return new Answer(status, pod, new String(in.readNBytes(length), StandardCharsets.UTF_8));
        }

        /** A line without its CRLF, or null at the end of the stream before any byte of it. */
        private String readLine() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) != -1) {
                if (b == '\n') {
                    break;
                }
                if (b != '\r') {
                    line.write(b);
                }
            }
            if (b == -1 && line.size() == 0) {
                return null;
            }
            return line.toString(StandardCharsets.US_ASCII);
        }

        void close() {
            try {
                socket.close();
            } catch (IOException alreadyClosed) {
                // nothing to release
            }
        }
    }
}
