package io.microcanary.testsupport.stores;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A real PostgreSQL 16 server from the zonky binaries on Maven Central; keeps its data across stop/start. */
final class EmbeddedPostgresServer implements StoreServer {

    private final StoreAddress address;
    private final Path dataDirectory;
    private EmbeddedPostgres postgres;

    EmbeddedPostgresServer(int port) {
        this.address = StoreAddress.local(StoreKind.POSTGRES, port);
        try {
            this.dataDirectory = Files.createTempDirectory("micro-canary-postgres-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        start();
    }

    @Override
    public StoreAddress address() {
        return address;
    }

    @Override
    public String origin() {
        return "embedded PostgreSQL";
    }

    @Override
    public synchronized void start() {
        if (postgres != null) {
            return;
        }
        try {
            postgres = EmbeddedPostgres.builder()
                    .setPort(address.port())
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false)
                    .setRegisterShutdownHook(false)
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start embedded PostgreSQL on port " + address.port(), e);
        }
    }

    @Override
    public synchronized void stop() {
        if (postgres == null) {
            return;
        }
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            postgres = null;
        }
    }

    @Override
    public void close() {
        stop();
        Directories.deleteQuietly(dataDirectory);
    }
}
