package io.microcanary.localstores;

import org.testcontainers.DockerClientFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.Locale;
import java.util.Map;

/**
 * The one place that decides which server a test or the dev stack gets for a store:
 * <ol>
 *   <li>{@code POSTGRES_URL} / {@code REDIS_URL} / {@code MONGO_URL} set: that external server;</li>
 *   <li>{@code TEST_STORES=testcontainers}, or {@code auto} (the default) with a Docker daemon that answers and
 *       the store's image present locally: a container (only where Testcontainers is on the class path, as in
 *       the tests; the dev stack does not ship it);</li>
 *   <li>otherwise ({@code TEST_STORES=embedded}, or no Docker): an embedded server in or beside this JVM.</li>
 * </ol>
 */
public final class Stores {

    public static final String MODE_VARIABLE = "TEST_STORES";

    private static final Map<StoreKind, StoreServer> SHARED = new java.util.EnumMap<>(StoreKind.class);

    private Stores() {
    }

    /**
     * One server per kind for the whole test JVM, started on first use and closed at exit. Tests that stop
     * their server (outage tests) must {@link #start(StoreKind)} their own instead.
     */
    public static synchronized StoreServer shared(StoreKind kind) {
        return SHARED.computeIfAbsent(kind, k -> {
            StoreServer server = start(k);
            System.err.println("shared " + k.id() + " for tests: " + server.origin() + " at " + server.url());
            return server;
        });
    }

    /** Starts (or finds) a server on a free port. */
    public static StoreServer start(StoreKind kind) {
        return start(kind, 0, System.getenv());
    }

    /** Starts (or finds) a server on {@code port}; 0 picks a free one. */
    public static StoreServer start(StoreKind kind, int port) {
        return start(kind, port, System.getenv());
    }

    /**
     * An embedded Redis on a free port that refuses clients without {@code password} ({@code requirepass}), as the
     * cluster's does; its address carries the password (its {@link StoreServer#url()} does not). Always embedded:
     * a test of authentication needs a server whose password it chose.
     */
    public static StoreServer redisRequiringPassword(String password) {
        StoreServer server = new EmbeddedRedisServer(freePort(), java.util.Objects.requireNonNull(password, "password"));
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "close-redis-" + server.address().port()));
        return server;
    }

    /** Whether {@link #start} finds a server someone else runs ({@code POSTGRES_URL} etc. set) rather than starting one. */
    public static boolean external(StoreKind kind) {
        return external(kind, System.getenv());
    }

    private static boolean external(StoreKind kind, Map<String, String> env) {
        String url = env.get(kind.urlVariable());
        return url != null && !url.isBlank();
    }

    static StoreServer start(StoreKind kind, int port, Map<String, String> env) {
        if (external(kind, env)) {
            return new ExternalStoreServer(StoreAddress.parse(kind, env.get(kind.urlVariable())));
        }
        int chosenPort = port == 0 ? freePort() : port;
        StoreServer server = switch (mode(kind, env)) {
            case "testcontainers" -> {
                if (!testcontainersPresent()) {
                    throw new IllegalStateException(MODE_VARIABLE + "=testcontainers, but Testcontainers is not on the "
                            + "class path (the tests have it; the dev stack runs embedded or external stores)");
                }
                yield new ContainerStoreServer(kind, chosenPort);
            }
            case "embedded" -> embedded(kind, chosenPort);
            default -> throw new IllegalStateException("unreachable");
        };
        // whoever forgets to close a server still gets its process stopped and its data directory removed
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "close-" + kind.id() + "-" + chosenPort));
        return server;
    }

    static String mode(StoreKind kind, Map<String, String> env) {
        String mode = env.getOrDefault(MODE_VARIABLE, "auto").trim().toLowerCase(Locale.ROOT);
        return switch (mode) {
            case "embedded", "testcontainers" -> mode;
            case "auto", "" -> dockerAnswers() && ContainerStoreServer.imagePresent(kind) ? "testcontainers" : "embedded";
            default -> throw new IllegalArgumentException(MODE_VARIABLE + " must be auto, embedded or testcontainers, was '"
                    + mode + "'");
        };
    }

    private static boolean testcontainersPresent() {
        try {
            Class.forName("org.testcontainers.DockerClientFactory", false, Stores.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    public static boolean dockerAnswers() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    private static StoreServer embedded(StoreKind kind, int port) {
        return switch (kind) {
            case POSTGRES -> new EmbeddedPostgresServer(port);
            case REDIS -> new EmbeddedRedisServer(port);
            case MONGO -> new InProcessMongoServer(port);
        };
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
