package io.microcanary.deployer.cluster;

/** The API server refused or could not be reached; the message says what was attempted. */
public final class ClusterException extends RuntimeException {
    public ClusterException(String message, Throwable cause) {
        super(message, cause);
    }
}
