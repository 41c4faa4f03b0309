package io.microcanary.deployer.cli;

import io.microcanary.deployer.cluster.Cluster;
import io.microcanary.deployer.release.ExitCode;
import io.microcanary.deployer.release.StatusView;
import io.microcanary.deployer.release.Tracks;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "status", mixinStandardHelpOptions = true,
        header = "Show stable and canary, the traffic split and events.",
        description = "Show stable and canary of each service: images, ready/desired pods, the traffic split and the "
                + "last events.",
        footer = {"", "Examples:", "  canary status", "  canary status addressbook --watch"})
final class StatusCommand implements Callable<Integer> {

    private static final String CLEAR_SCREEN = "\033[H\033[2J";

    @ParentCommand
    CanaryCommand canary;

    @Parameters(arity = "0..*", paramLabel = "SERVICE", description = "Services to show (default: every stable one).")
    List<String> services;

    @Option(names = {"-w", "--watch"}, description = "Redraw every 2 seconds until every release shown has ended "
            + "(no canary, stable rolled out), or until interrupted.")
    boolean watch;

    @Option(names = "--watch-limit", hidden = true, defaultValue = "0", description = "Stop after N redraws (tests).")
    int watchLimit;

    @Override
    public Integer call() throws InterruptedException {
        Cluster cluster = canary.cluster();
        StatusView view = new StatusView(cluster);
        for (int drawn = 1; ; drawn++) {
            List<String> shown = services != null ? services : cluster.deployments(Tracks.TRACK + "=stable").stream()
                    .map(d -> d.getMetadata().getName()).sorted().toList();
            canary.out.print((watch ? CLEAR_SCREEN : "") + (shown.isEmpty()
                    ? "no stable Deployments in namespace " + cluster.namespace() + "\n" : view.render(shown)));
            canary.out.flush();
            if (!watch || drawn == watchLimit || shown.stream().allMatch(view::settled)) {
                return ExitCode.OK;
            }
            canary.ticker.pause(Duration.ofSeconds(2));
        }
    }
}
