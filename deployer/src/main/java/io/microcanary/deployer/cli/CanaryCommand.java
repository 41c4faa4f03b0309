package io.microcanary.deployer.cli;

import io.microcanary.deployer.cluster.Cluster;
import io.microcanary.deployer.cluster.ClusterException;
import io.microcanary.deployer.release.CanaryRelease;
import io.microcanary.deployer.release.ExitCode;
import io.microcanary.deployer.release.ReleaseFailed;
import io.microcanary.deployer.rollout.Ticker;
import io.microcanary.deployer.rollout.Waiter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.time.Duration;

/** {@code canary}: releases a service through a canary, kubectl-style. */
@Command(name = "canary", mixinStandardHelpOptions = true, version = "canary 0.1.0",
        description = "Release micro-canary services through a canary: deploy stable, start a canary beside it, "
                + "analyse it against stable, then promote or abort.",
        subcommands = {DeployCommand.class, StartCommand.class, StepsCommand.class, AnalyzeCommand.class,
                PromoteCommand.class, AbortCommand.class, StatusCommand.class},
        footer = {"", "Exit codes: 0 success, 1 failed or aborted, 2 usage, 3 inconclusive (the canary is left paused).",
                "Examples:",
                "  canary deploy addressbook --replicas 3",
                "  canary start addressbook --image micro-canary/addressbook:0.1.0-4f2a9c1",
                "  canary analyze sava-product --window 60s --max-error-rate 0.01",
                "  canary promote addressbook",
                "  canary abort addressbook",
                "  canary status --watch"})
public final class CanaryCommand implements Runnable {

    /** How often a wait asks the API server again. */
    public static final Duration POLL_INTERVAL = Duration.ofSeconds(2);

    @Mixin
    GlobalOptions global;

    final ClientFactory clients;
    final PrintStream out;
    final Ticker ticker;
    final Duration pollInterval;
    final CanaryRelease.Settings settings;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    CanaryCommand(ClientFactory clients, PrintStream out, Ticker ticker, Duration pollInterval,
                  CanaryRelease.Settings settings) {
        this.clients = clients;
        this.out = out;
        this.ticker = ticker;
        this.pollInterval = pollInterval;
        this.settings = settings;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }

    public static void main(String[] args) {
        System.exit(run(ClientFactory.KUBECONFIG, System.out, System.err, Ticker.SYSTEM, POLL_INTERVAL,
                CanaryRelease.Settings.defaults(), args));
    }

    /** Runs one command line and returns its exit code; everything it needs is handed in. */
    public static int run(ClientFactory clients, PrintStream out, PrintStream err, Ticker ticker,
                          Duration pollInterval, CanaryRelease.Settings settings, String... args) {
        CommandLine cli = new CommandLine(new CanaryCommand(clients, out, ticker, pollInterval, settings));
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof ReleaseFailed || e instanceof ClusterException || e instanceof Waiter.WaitFailed
                    || e instanceof IllegalArgumentException) {
                err.println("error: " + e.getMessage());
                return ExitCode.FAILED;
            }
            throw e;
        });
        return cli.execute(args);
    }

    Cluster cluster() {
        ClientFactory.Connection connection = clients.connect(global.kubeconfig, global.context, global.namespace);
        return new Cluster(connection.client(), connection.namespace());
    }

    CanaryRelease release(Cluster cluster) {
        return new CanaryRelease(cluster, new Waiter(out, ticker, pollInterval), ticker, out,
                settings.withTimeout(global.timeout));
    }
}
