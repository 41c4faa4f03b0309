package io.microcanary.deployer.cli;

import io.microcanary.commandline.Durations;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "steps", mixinStandardHelpOptions = true,
        header = "Move traffic to the canary in steps of replica ratio.",
        description = "Move traffic to a running canary in steps. Without a mesh the weight is the share of ready "
                + "pods, so each step prints the requested and the actual percentage.",
        footer = {"", "Examples:", "  canary steps sava-product --weights 10,25,50 --pause 30s",
                "  canary steps sava-product --weights 25,50 --analyze --window 60s"})
final class StepsCommand implements Callable<Integer> {

    @ParentCommand
    CanaryCommand canary;

    @Parameters(index = "0", paramLabel = "SERVICE", description = "The service whose canary to grow.")
    String service;

    @Option(names = "--weights", required = true, split = ",", paramLabel = "PERCENT",
            description = "Canary shares to go through, e.g. 10,25,50.")
    List<Integer> weights;

    @Option(names = "--pause", defaultValue = "0s", converter = Durations.class, paramLabel = "DURATION",
            description = "Wait between steps when not analysing (default: ${DEFAULT-VALUE}).")
    Duration pause;

    @Option(names = "--analyze", description = "Analyse after each step; stop at a failed or inconclusive one.")
    boolean analyze;

    @Mixin
    AnalysisOptions analysis;

    @Override
    public Integer call() {
        return canary.release(canary.cluster()).steps(service, weights, pause, analyze ? analysis.request() : null);
    }
}
