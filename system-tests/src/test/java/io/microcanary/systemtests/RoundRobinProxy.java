package io.microcanary.systemtests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Kubernetes Service as kube-proxy implements it, on loopback: every new TCP connection goes to the next backend
 * in the rotation, and its bytes are piped both ways untouched. It never looks at the requests, so every request on
 * a kept-alive connection goes where the connection went. Unlike kube-proxy it rotates in order instead of at
 * random. Backends join when the test says they are ready; they leave only once {@link #dropsUnreadyBackends} is on,
 * as Kubernetes takes a pod out: by polling its readiness (the kubelet's probe, then the endpoints controller), and
 * only some time later (kube-proxy or an ingress applies the change asynchronously). Connections already open stay
 * open, as conntrack keeps them.
 */
final class RoundRobinProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final List<Integer> rotation = new CopyOnWriteArrayList<>();
    private final AtomicLong accepted = new AtomicLong();
    private final Map<Integer, AtomicInteger> connections = new ConcurrentHashMap<>();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final ExecutorService threads = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "round-robin-proxy");
        thread.setDaemon(true);
        return thread;
    });

    private final ScheduledExecutorService readinessChecks = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "round-robin-proxy-readiness");
        thread.setDaemon(true);
        return thread;
    });

    private RoundRobinProxy(int firstBackendPort) throws IOException {
        listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        join(firstBackendPort);
        threads.execute(this::acceptConnections);
    }

    /** A Service whose only ready pod listens on {@code backendPort}. */
    static RoundRobinProxy to(int backendPort) throws IOException {
        return new RoundRobinProxy(backendPort);
    }

    String url() {
        return "http://127.0.0.1:" + listener.getLocalPort();
    }

    /** A pod listening on {@code backendPort} becomes ready: new connections may go to it from now on. */
    void join(int backendPort) {
        connections.putIfAbsent(backendPort, new AtomicInteger());
        rotation.add(backendPort);
    }

    /**
     * From now on every backend's {@code /health/readiness} is polled each {@code period}; one that does not answer
     * 200 leaves the rotation {@code propagation} later. So a backend that turns unready still gets new connections
     * for up to about {@code period + propagation}, as a terminating pod does in a cluster.
     */
    RoundRobinProxy dropsUnreadyBackends(Duration period, Duration propagation) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(period).build();
        readinessChecks.scheduleAtFixedRate(() -> {
            for (int backend : List.copyOf(rotation)) {
                if (!ready(client, backend, period)) {
                    readinessChecks.schedule(() -> rotation.remove(Integer.valueOf(backend)),
                            propagation.toMillis(), TimeUnit.MILLISECONDS);
                }
            }
        }, 0, period.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    private static boolean ready(HttpClient client, int backend, Duration timeout) {
        try {
            HttpRequest probe = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + backend + "/health/readiness"))
                    .timeout(timeout).build();
            return client.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException refusedOrTimedOut) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Whether new connections may still go to {@code backendPort}. */
    boolean inRotation(int backendPort) {
        return rotation.contains(backendPort);
    }

    /** How many connections the proxy has sent to {@code backendPort} so far. */
    int connectionsTo(int backendPort) {
        return connections.get(backendPort).get();
    }

    private void acceptConnections() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                List<Integer> ready = List.copyOf(rotation);
                if (ready.isEmpty()) {
                    closeQuietly(client); // no endpoints: kube-proxy rejects the connection
                    continue;
                }
                connect(client, ready.get((int) (accepted.getAndIncrement() % ready.size())));
            } catch (IOException closedOrFailed) {
                // closed: the loop ends; a failed accept: the caller sees its connection refused or reset
            }
        }
    }

    private void connect(Socket client, int backendPort) {
        open.add(client);
        try {
            Socket backend = new Socket(InetAddress.getLoopbackAddress(), backendPort);
            open.add(backend);
            connections.get(backendPort).incrementAndGet();
            AtomicInteger directionsOpen = new AtomicInteger(2);
            threads.execute(() -> pipe(client, backend, directionsOpen));
            threads.execute(() -> pipe(backend, client, directionsOpen));
        } catch (IOException backendDown) {
            closeQuietly(client); // as kube-proxy does when the pod refuses: the caller sees the connection fail
        }
    }

    /** Copies until {@code from} half-closes, passes the half-close on, and closes both once both ways are done. */
    private void pipe(Socket from, Socket to, AtomicInteger directionsOpen) {
        try {
            from.getInputStream().transferTo(to.getOutputStream());
            to.shutdownOutput();
            if (directionsOpen.decrementAndGet() == 0) {
                closeQuietly(from);
                closeQuietly(to);
            }
        } catch (IOException resetOrClosed) {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private void closeQuietly(Socket socket) {
        open.remove(socket);
        try {
            socket.close();
        } catch (IOException alreadyGone) {
            // nothing left to release
        }
    }

    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            readinessChecks.shutdownNow();
            open.forEach(this::closeQuietly);
            threads.shutdownNow();
        }
    }
}
