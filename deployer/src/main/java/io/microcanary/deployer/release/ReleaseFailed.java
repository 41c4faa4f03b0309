package io.microcanary.deployer.release;

/** A release step that cannot go on; the message is printed as it stands. */
public final class ReleaseFailed extends RuntimeException {
    public ReleaseFailed(String message) {
        super(message);
    }
}
