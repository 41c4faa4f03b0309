package io.microcanary.localstores;

/** The three stores the services use, with what it takes to start and address each. */
public enum StoreKind {
    POSTGRES("postgres", "POSTGRES_URL", "postgres:16-alpine", 5432),
    REDIS("redis", "REDIS_URL", "redis:7-alpine", 6379),
    MONGO("mongo", "MONGO_URL", "mongo:7", 27017);

    private final String id;
    private final String urlVariable;
    private final String image;
    private final int standardPort;

    StoreKind(String id, String urlVariable, String image, int standardPort) {
        this.id = id;
        this.urlVariable = urlVariable;
        this.image = image;
        this.standardPort = standardPort;
    }

    public String id() {
        return id;
    }

    /** The environment variable that points tests and the dev stack at an already-running server. */
    public String urlVariable() {
        return urlVariable;
    }

    /** The image Testcontainers uses; it must already be present locally (nothing can be pulled here). */
    public String image() {
        return image;
    }

    public int standardPort() {
        return standardPort;
    }
}
