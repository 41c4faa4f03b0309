package io.microcanary.deployer.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "start", mixinStandardHelpOptions = true,
        header = "Start a canary beside stable; abort by itself on any failure.",
        description = "Start a canary of SERVICE: a Deployment SERVICE-canary running IMAGE beside stable, stable "
                + "scaled down to keep the total, then smoke checks (ping and migrate inside an addressbook "
                + "canary, readiness through the pod proxy for the others). Any failure aborts the canary by "
                + "itself.",
        footer = {"", "Examples:", "  canary start addressbook --image micro-canary/addressbook:4f2a9c1",
                "  canary start sava-product --image micro-canary/sava-product:4f2a9c1 \\",
                "      --auto --window 2m",
                "  canary start sava-product --image micro-canary/sava-product:4f2a9c1 \\",
                "      --env FAULT_ERROR_RATE=0.3 --auto"})
final class StartCommand implements Callable<Integer> {

    @ParentCommand
    CanaryCommand canary;

    @Parameters(index = "0", paramLabel = "SERVICE", description = "The stable Deployment, e.g. addressbook.")
    String service;

    @Option(names = "--image", required = true, paramLabel = "IMAGE", description = "The image to release.")
    String image;

    @Option(names = "--canary-replicas", defaultValue = "1", paramLabel = "N",
            description = "Pods the canary runs (default: ${DEFAULT-VALUE}).")
    int canaryReplicas;

    @Option(names = "--env", paramLabel = "NAME=VALUE", description = "Set an environment variable in the canary only "
            + "(repeatable), e.g. FAULT_ERROR_RATE=0.3 to release a deliberately bad sava-product.")
    Map<String, String> env = Map.of();

    @Option(names = "--auto", description = "Analyse the canary when it is live, then promote or abort by itself.")
    boolean auto;

    @Option(names = "--force", description = "Start a canary even of the image stable already runs with no --env "
            + "change, which releases nothing (to rehearse the flow).")
    boolean force;

    @Mixin
    AnalysisOptions analysis;

    @Override
    public Integer call() {
        return canary.release(canary.cluster()).start(service, image, canaryReplicas, env,
                auto ? analysis.request() : null, force);
    }
}
