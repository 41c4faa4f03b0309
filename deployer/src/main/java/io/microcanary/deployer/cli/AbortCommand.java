package io.microcanary.deployer.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

@Command(name = "abort", aliases = "rollback", mixinStandardHelpOptions = true,
        header = "Delete the canary and restore stable.",
        description = "Delete the canary of SERVICE and bring stable back to full strength. Safe to repeat, and the "
                + "way out of an interrupted run: the replica count to restore is kept on stable itself.",
        footer = {"", "Example:", "  canary abort addressbook"})
final class AbortCommand implements Callable<Integer> {

    @ParentCommand
    CanaryCommand canary;

    @Parameters(index = "0", paramLabel = "SERVICE", description = "The service whose canary to abort.")
    String service;

    @Override
    public Integer call() {
        return canary.release(canary.cluster()).abort(service);
    }
}
