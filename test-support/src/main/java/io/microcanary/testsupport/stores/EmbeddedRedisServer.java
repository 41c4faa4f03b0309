package io.microcanary.testsupport.stores;

import redis.embedded.RedisServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A real Redis server from the binary inside the embedded-redis jar. Append-only persistence is on, so a
 * restart keeps the queues, as a production Redis with AOF would.
 */
final class EmbeddedRedisServer implements StoreServer {

    private final StoreAddress address;
    private final Path dataDirectory;
    private RedisServer redis;

    EmbeddedRedisServer(int port) {
        this.address = StoreAddress.local(StoreKind.REDIS, port);
        try {
            this.dataDirectory = Files.createTempDirectory("micro-canary-redis-");
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
        return "embedded Redis";
    }

    @Override
    public synchronized void start() {
        if (redis != null) {
            return;
        }
        try {
            redis = RedisServer.newRedisServer()
                    .bind("127.0.0.1")
                    .port(address.port())
                    .setting("dir " + dataDirectory)
                    .setting("appendonly yes")
                    .setting("appendfsync everysec")
                    .setting("save \"\"")
                    .setting("protected-mode no")
                    .onShutdownForceStop(true)
                    .build();
            redis.start();
        } catch (IOException e) {
            redis = null;
            throw new UncheckedIOException("could not start embedded Redis on port " + address.port(), e);
        }
    }

    @Override
    public synchronized void stop() {
        if (redis == null) {
            return;
        }
        try {
            redis.stop();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            redis = null;
        }
    }

    @Override
    public void close() {
        stop();
        Directories.deleteQuietly(dataDirectory);
    }
}
