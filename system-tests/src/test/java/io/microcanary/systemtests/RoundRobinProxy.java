package io.microcanary.systemtests;

import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Kubernetes Service as kube-proxy implements it, on loopback: every new TCP connection goes to the next backend
 * in the rotation, and its bytes are piped both ways untouched. It never looks at the requests, so every request on
 * a kept-alive connection goes where the connection went. Unlike kube-proxy it rotates in order instead of at
 * random, and backends only join (none leaves).
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

    /** How many connections the proxy has sent to {@code backendPort} so far. */
    int connectionsTo(int backendPort) {
        return connections.get(backendPort).get();
    }

    private void acceptConnections() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                int backend = rotation.get((int) (accepted.getAndIncrement() % rotation.size()));
                connect(client, backend);
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
            open.forEach(this::closeQuietly);
            threads.shutdownNow();
        }
    }
}
