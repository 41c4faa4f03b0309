package io.microcanary.deployer.emulation;

import io.microcanary.deployer.cli.CanaryCommand;
import io.microcanary.deployer.cli.ClientFactory;
import io.microcanary.deployer.release.CanaryRelease;
import io.microcanary.deployer.rollout.Ticker;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Runs {@code canary ...} command lines in-process against a {@link FakeKubernetes}, capturing what they print. */
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
        long started = System.nanoTime();
        int code = CanaryCommand.run(clients, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Ticker.SYSTEM, Duration.ofMillis(20),
                settings, args);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8),
                Duration.ofNanos(System.nanoTime() - started));
    }

    public record Result(int exitCode, String out, String err, Duration took) {
        @Override
        public String toString() {
            return "exit " + exitCode + " after " + took.toMillis() + "ms\n--- out\n" + out + "--- err\n" + err;
        }
    }
}
