package io.microcanary.deployer.cli;

import io.microcanary.deployer.cluster.Cluster;
import io.microcanary.deployer.release.ExitCode;
import io.microcanary.deployer.release.StatusView;
import io.microcanary.deployer.release.Tracks;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "status", mixinStandardHelpOptions = true,
        header = "Show stable and canary, the traffic split and events.",
        description = "Show stable and canary of each service: images, ready/desired pods, the traffic split and the "
                + "last events.",
        footer = {"", "Examples:", "  canary status", "  canary status addressbook --watch", "  canary status sava-product -o json"})
final class StatusCommand implements Callable<Integer> {

    private static final String CLEAR_SCREEN = "\033[H\033[2J";

    private static final Gson JSON = new GsonBuilder().serializeNulls().setPrettyPrinting().disableHtmlEscaping().create();

    @ParentCommand
    CanaryCommand canary;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "0..*", paramLabel = "SERVICE", description = "Services to show (default: every stable one).")
    List<String> services;

    @Option(names = {"-w", "--watch"}, description = "Redraw every 2 seconds until every release shown has ended "
            + "(no canary, stable rolled out), or until interrupted.")
    boolean watch;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", description = "json or yaml: the same fields as the "
            + "tree, for scripts (schema in docs/operations.md); not with --watch.")
    Format output;

    enum Format { json, yaml }

    @Option(names = "--watch-limit", hidden = true, defaultValue = "0", description = "Stop after N redraws (tests).")
    int watchLimit;

    @Override
    public Integer call() throws InterruptedException {
        if (output != null && watch) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--output and --watch do not go together");
        }
        Cluster cluster = canary.cluster();
        StatusView view = new StatusView(cluster, canary.ticker);
        if (output != null) {
            List<String> shown = services != null ? services : stableServices(cluster);
            var items = shown.stream().map(service -> view.status(service).asMap()).toList();
            canary.out.print(output == Format.json ? JSON.toJson(Map.of("items", items)) + "\n" : yaml(items));
            canary.out.flush();
            return ExitCode.OK;
        }
        for (int drawn = 1; ; drawn++) {
            List<String> shown = services != null ? services : stableServices(cluster);
            canary.out.print((watch ? CLEAR_SCREEN : "") + (shown.isEmpty()
                    ? "no stable Deployments in namespace " + cluster.namespace() + "\n" : view.render(shown)));
            canary.out.flush();
            if (!watch || drawn == watchLimit || shown.stream().allMatch(view::settled)) {
                return ExitCode.OK;
            }
            canary.ticker.pause(Duration.ofSeconds(2));
        }
    }

    private static List<String> stableServices(Cluster cluster) {
        return cluster.deployments(Tracks.TRACK + "=stable").stream().map(d -> d.getMetadata().getName()).sorted().toList();
    }

    private static String yaml(List<Map<String, Object>> items) {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        return new Yaml(options).dump(Map.of("items", items));
    }
}
