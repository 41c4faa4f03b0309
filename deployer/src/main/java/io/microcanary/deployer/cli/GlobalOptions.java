package io.microcanary.deployer.cli;

import io.microcanary.commandline.Durations;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** kubectl's connection flags, accepted before or after the verb. */
final class GlobalOptions {

    @Option(names = {"-n", "--namespace"}, scope = ScopeType.INHERIT, paramLabel = "NAMESPACE",
            description = "Namespace to work in (default: the context's namespace, else micro-canary).")
    String namespace;

    @Option(names = "--context", scope = ScopeType.INHERIT, paramLabel = "CONTEXT",
            description = "The kubeconfig context to use (default: the current context).")
    String context;

    @Option(names = "--timeout", scope = ScopeType.INHERIT, converter = Durations.class, paramLabel = "DURATION",
            description = "How long each wait (a rollout, a deletion) may take before the verb gives up "
                    + "(default: 3m).")
    java.time.Duration timeout;

    @Option(names = "--kubeconfig", scope = ScopeType.INHERIT, paramLabel = "FILE",
            description = "Path to the kubeconfig file (default: the files of $KUBECONFIG merged as kubectl "
                    + "merges them, else ~/.kube/config).")
    String kubeconfig;
}
