package io.microcanary.localstores;

import java.net.URI;
import java.util.Objects;

/** Where a store listens, and the credentials to use: enough to build any client's URL. */
public record StoreAddress(StoreKind kind, String host, int port, String user, String password, String database) {

    public StoreAddress {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(host, "host");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    public static StoreAddress local(StoreKind kind, int port) {
        return switch (kind) {
            case POSTGRES -> new StoreAddress(kind, "127.0.0.1", port, "postgres", "", "postgres");
            case REDIS, MONGO -> new StoreAddress(kind, "127.0.0.1", port, null, null, null);
        };
    }

    /** Parses {@code postgresql://user:pass@host:port/db}, {@code redis://host:port}, {@code mongodb://host:port}. */
    public static StoreAddress parse(StoreKind kind, String url) {
        URI uri = URI.create(url);
        if (uri.getHost() == null) {
            throw new IllegalArgumentException(kind.urlVariable() + " must look like scheme://host:port, was " + url);
        }
        int port = uri.getPort() > 0 ? uri.getPort() : kind.standardPort();
        String user = null;
        String password = null;
        if (uri.getUserInfo() != null) {
            String[] parts = uri.getUserInfo().split(":", 2);
            user = parts[0];
            password = parts.length > 1 ? parts[1] : "";
        }
        String path = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
        String database = path.isEmpty() ? null : path;
        if (kind == StoreKind.POSTGRES) {
            user = user == null ? "postgres" : user;
            password = password == null ? "" : password;
            database = database == null ? "postgres" : database;
        }
        return new StoreAddress(kind, uri.getHost(), port, user, password, database);
    }

    public String url() {
        return switch (kind) {
            case POSTGRES -> "postgresql://" + host + ":" + port + "/" + database;
            case REDIS -> "redis://" + host + ":" + port;
            case MONGO -> "mongodb://" + host + ":" + port;
        };
    }

    public String jdbcUrl() {
        if (kind != StoreKind.POSTGRES) {
            throw new IllegalStateException(kind + " has no JDBC URL");
        }
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }
}
