package io.microcanary.deployer.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

@Command(name = "analyze", mixinStandardHelpOptions = true,
        header = "Compare the canary with stable on live traffic.",
        description = "Compare the canary of SERVICE with stable over a window of live traffic: success rate and p99 "
                + "latency from each pod's /prometheus, read through the API server's pod proxy. Too few canary "
                + "requests is inconclusive (exit 3), never a pass.",
        footer = {"", "Examples:", "  canary analyze sava-product", "  canary analyze addressbook --window 2m --max-p99 300ms"})
final class AnalyzeCommand implements Callable<Integer> {

    @ParentCommand
    CanaryCommand canary;

    @Parameters(index = "0", paramLabel = "SERVICE", description = "The service whose canary to judge.")
    String service;

    @Mixin
    AnalysisOptions analysis;

    @Override
    public Integer call() {
        return canary.release(canary.cluster()).analyze(service, analysis.request());
    }
}
