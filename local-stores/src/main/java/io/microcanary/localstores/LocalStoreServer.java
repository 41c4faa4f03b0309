package io.microcanary.localstores;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A store started by this JVM on a local port. {@link #start()} and {@link #stop()} may be called in any order and
 * keep the data, as an outage and a recovery would; {@link #close()} stops it for good and discards the data.
 */
abstract class LocalStoreServer implements StoreServer {

    private final StoreAddress address;
    private final String origin;
    private boolean running;

    LocalStoreServer(StoreKind kind, int port, String origin) {
        this(kind, port, origin, null);
    }

    /** A server that requires {@code password} (null: none), which its address carries. */
    LocalStoreServer(StoreKind kind, int port, String origin, String password) {
        StoreAddress local = StoreAddress.local(kind, port);
        this.address = password == null ? local
                : new StoreAddress(kind, local.host(), port, local.user(), password, local.database());
        this.origin = origin + (password == null ? "" : " requiring a password");
    }

    /** Starts the server on {@link #address()}. */
    protected abstract void launch() throws IOException;

    /** Stops the server, keeping its data. */
    protected abstract void halt() throws IOException;

    protected abstract void discardData();

    @Override
    public final StoreAddress address() {
        return address;
    }

    @Override
    public final String origin() {
        return origin;
    }

    @Override
    public final synchronized void start() {
        if (running) {
            return;
        }
        try {
            launch();
            running = true;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + origin + " on port " + address.port(), e);
        }
    }

    @Override
    public final synchronized void stop() {
        if (!running) {
            return;
        }
        try {
            halt();
        } catch (IOException e) {
            throw new UncheckedIOException("could not stop " + origin + " on port " + address.port(), e);
        } finally {
            running = false;
        }
    }

    @Override
    public final synchronized void close() {
        stop();
        discardData();
    }

    static Path dataDirectory(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
