package io.microcanary.deployer.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

@Command(name = "promote", mixinStandardHelpOptions = true,
        header = "Roll stable to the canary image, then delete the canary.",
        description = "Roll stable out to the canary's image at its full replica count, wait, then delete the canary.",
        footer = {"", "Example:", "  canary promote addressbook"})
final class PromoteCommand implements Callable<Integer> {

    @ParentCommand
    CanaryCommand canary;

    @Parameters(index = "0", paramLabel = "SERVICE", description = "The service whose canary to promote.")
    String service;

    @Override
    public Integer call() {
        return canary.release(canary.cluster()).promote(service);
    }
}
