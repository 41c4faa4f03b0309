package io.microcanary.deployer.emulation;

/** How the pods of an image behave in the emulated cluster. */
public enum Behaviour {
    /** Starts, then passes its readiness probe. */
    HEALTHY,
    /** The container exits at once, again and again. */
    CRASH_LOOP,
    /** The image cannot be pulled. */
    IMAGE_PULL_FAILURE,
    /** Runs, but its readiness probe never passes. */
    NEVER_READY,
    /** No node has room for it: it stays Pending. */
    UNSCHEDULABLE
}
