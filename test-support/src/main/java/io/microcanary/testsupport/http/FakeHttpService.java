package io.microcanary.testsupport.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.microcanary.localstores.Stores;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A downstream service on a real socket that a test controls: it answers through a handler, can be stopped (the
 * port refuses connections, as a crashed service's would) and started again on the same port, and can be made
 * slow. For functional tests only; never benchmark against it.
 */
public final class FakeHttpService implements AutoCloseable {

    /** What the fake answers: status, content type and body. */
    public record Reply(int status, String contentType, String body) {

        public static Reply json(int status, String body) {
            return new Reply(status, "application/json", body);
        }
    }

    @FunctionalInterface
    public interface Handler {
        Reply handle(HttpExchange exchange) throws IOException;
    }

    private final int port = Stores.freePort();
    private final String context;
    private final Handler handler;
    private volatile Duration delay = Duration.ZERO;
    private HttpServer server;
    private ExecutorService executor;

    public FakeHttpService(String context, Handler handler) {
        this.context = context;
        this.handler = handler;
        start();
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** Every answer from now on comes {@code newDelay} late (zero: at once). */
    public void delay(Duration newDelay) {
        this.delay = newDelay;
    }

    public synchronized void start() {
        if (server != null) {
            return;
        }
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 50);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        executor = Executors.newCachedThreadPool();
        server.setExecutor(executor);
        server.createContext(context, this::answer);
        server.start();
    }

    /** Down: the port refuses connections until {@link #start()}. */
    public synchronized void stop() {
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
            server = null;
        }
    }

    private void answer(HttpExchange exchange) {
        try {
            if (!delay.isZero()) {
                Thread.sleep(delay.toMillis()); // being slow is what this fake is asked to be
            }
            Reply reply = handler.handle(exchange);
            byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", reply.contentType());
            exchange.sendResponseHeaders(reply.status(), body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exchange.close();
        } catch (IOException clientGaveUp) {
            exchange.close(); // the caller timed out and went away: expected when slow
        }
    }

    @Override
    public void close() {
        stop();
    }
}
