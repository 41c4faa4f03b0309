package io.microcanary.localstores;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.nio.file.Path;

/** A real PostgreSQL 16 server from the zonky binaries on Maven Central; keeps its data across stop/start. */
final class EmbeddedPostgresServer extends LocalStoreServer {

    private final Path dataDirectory = dataDirectory("micro-canary-postgres-");
    private EmbeddedPostgres postgres;

    EmbeddedPostgresServer(int port) {
        super(StoreKind.POSTGRES, port, "embedded PostgreSQL");
        start();
    }

    @Override
    protected void launch() throws IOException {
        postgres = EmbeddedPostgres.builder()
                .setPort(address().port())
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(false)
                // its Unix socket beside its data, not in the /tmp every PostgreSQL on this port shares: its lock
                // there would stop a second server on the same port in another network namespace
                .setServerConfig("unix_socket_directories", dataDirectory.toString())
                .setRegisterShutdownHook(false)
                .start();
    }

    @Override
    protected void halt() throws IOException {
        postgres.close();
    }

    @Override
    protected void discardData() {
        Directories.deleteQuietly(dataDirectory);
    }
}
