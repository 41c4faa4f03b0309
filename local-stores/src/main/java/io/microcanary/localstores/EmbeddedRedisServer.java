package io.microcanary.localstores;

import redis.embedded.RedisServer;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A real Redis server from the binary inside the embedded-redis jar. Append-only persistence is on, so a
 * restart keeps the queues, as a production Redis with AOF would.
 */
final class EmbeddedRedisServer extends LocalStoreServer {

    private final Path dataDirectory = dataDirectory("micro-canary-redis-");
    private final String password;
    private RedisServer redis;

    EmbeddedRedisServer(int port) {
        this(port, null);
    }

    /** With {@code password} set, every client must AUTH with it ({@code requirepass}), as the cluster's Redis. */
    EmbeddedRedisServer(int port, String password) {
        super(StoreKind.REDIS, port, "embedded Redis", password);
        this.password = password;
        start();
    }

    @Override
    protected void launch() throws IOException {
        var builder = RedisServer.newRedisServer();
        if (password != null) {
            builder.setting("requirepass " + password);
        }
        redis = builder
                .bind("127.0.0.1")
                .port(address().port())
                .setting("dir " + dataDirectory)
                .setting("appendonly yes")
                .setting("appendfsync everysec")
                .setting("save \"\"")
                .setting("protected-mode no")
                .onShutdownForceStop(true)
                .build();
        redis.start();
    }

    @Override
    protected void halt() throws IOException {
        redis.stop();
    }

    @Override
    protected void discardData() {
        Directories.deleteQuietly(dataDirectory);
    }
}
