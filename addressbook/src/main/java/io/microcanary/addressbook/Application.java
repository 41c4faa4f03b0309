package io.microcanary.addressbook;

import io.micronaut.runtime.Micronaut;

/**
 * Runs the HTTP API, or one of the database commands ({@code ping}, {@code migrate}) that a canary pod is
 * checked with through {@code kubectl exec}: the same artifact, so the check exercises the shipped code.
 */
public final class Application {

    private Application() {
    }

    public static void main(String[] args) {
        if (args.length > 0 && DatabaseCommands.isCommand(args[0])) {
            System.exit(DatabaseCommands.run(args[0], System.out, System.err));
        }
        Micronaut.run(Application.class, args);
    }
}
