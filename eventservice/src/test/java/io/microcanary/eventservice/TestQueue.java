package io.microcanary.eventservice;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

import java.util.UUID;

/** A producer's side of the queue, for tests: pushes messages as webapp and the original Node services do. */
final class TestQueue implements AutoCloseable {

    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;

    TestQueue(String redisUrl) {
        this.client = RedisClient.create(redisUrl);
        this.connection = client.connect();
    }

    RedisCommands<String, String> redis() {
        return connection.sync();
    }

    String record(String url) {
        String id = UUID.randomUUID().toString();
        redis().rpush("eventservice", recordMessage(id, url));
        return id;
    }

    static String recordMessage(String id, String url) {
        return "{\"action\":\"record\",\"type\":\"page\",\"url\":\"" + url + "\",\"id\":\"" + id
                + "\",\"ts\":\"2026-11-23T10:00:00Z\"}";
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown();
    }
}
