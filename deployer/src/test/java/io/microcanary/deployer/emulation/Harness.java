package io.microcanary.deployer.emulation;

import io.microcanary.deployer.cli.CanaryCommand;
import io.microcanary.deployer.cli.ClientFactory;
import io.microcanary.deployer.release.CanaryRelease;
import io.microcanary.deployer.rollout.Ticker;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Runs {@code canary ...} command lines in-process against a {@link FakeKubernetes}, capturing what they print. The
 * harness runs on the emulated server's clock and polls as often as the command line does: on a fake clock its waits,
 * deadlines and analysis windows take no real time, and they still end, because the emulated controllers take a step
 * on every request the harness makes rather than as real time passes.
 */
public final class Harness {

    private final FakeKubernetes cluster;
    private final CanaryRelease.Settings settings;

    public Harness(FakeKubernetes cluster, CanaryRelease.Settings settings) {
        this.cluster = cluster;
        this.settings = settings;
    }

    public Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ClientFactory clients = (kubeconfig, context, namespace) -> new ClientFactory.Connection(cluster.client(),
                namespace != null ? namespace : FakeKubernetes.NAMESPACE);
        Ticker clock = cluster.clock();
        long started = clock.nanos();
        int code = CanaryCommand.run(clients, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), clock, CanaryCommand.POLL_INTERVAL, settings, args);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8),
                Duration.ofNanos(clock.nanos() - started));
    }

    /** What a command line printed and returned, and how long it {@code took} on the harness's clock. */
    public record Result(int exitCode, String out, String err, Duration took) {
        @Override
        public String toString() {
            return "exit " + exitCode + " after " + took.toMillis() + "ms\n--- out\n" + out + "--- err\n" + err;
        }
    }
}
