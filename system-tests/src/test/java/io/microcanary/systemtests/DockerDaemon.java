package io.microcanary.systemtests;

import io.microcanary.testsupport.Checkout;

import io.microcanary.testsupport.Poller;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Docker daemon for image tests: the one DOCKER_HOST names when it answers (or, with DOCKER_HOST unset, the one on
 * the default socket, as a CI runner has), else Debian's dockerd started by hand on a private socket (no systemd
 * here, needs root) and stopped at the end. Without dockerd the test fails and says how to install it.
 */
final class DockerDaemon implements AutoCloseable {

    private final String host;
    private final Process daemon;
    private final Path dataRoot;
    /** Where the scripts run by {@link #inRepository} record their builds (not the checkout's .run-local). */
    private final Path builds;

    private DockerDaemon(String host, Process daemon, Path dataRoot) throws IOException {
        this.host = host;
        this.daemon = daemon;
        this.dataRoot = dataRoot;
        this.builds = Files.createTempDirectory("image-test-state-");
    }

    static DockerDaemon startOrUse() throws IOException {
        String existing = existingDaemon(System.getenv("DOCKER_HOST"), DockerDaemon::answers);
        if (existing != null) {
            return new DockerDaemon(existing, null, null);
        }
        Path dockerd = Path.of("/usr/sbin/dockerd");
        if (!Files.isExecutable(dockerd)) {
            throw new AssertionError("no Docker daemon answers and dockerd is not installed: apt-get install docker.io"
                    + " (.ci/run installs it)");
        }
        String name = "micro-canary-it-" + ProcessHandle.current().pid();
        Path dataRoot = Files.createTempDirectory("dockerd-");
        String host = "unix:///run/" + name + ".sock";
        Process daemon = new ProcessBuilder(dockerd.toString(), "--data-root", dataRoot.toString(), "--exec-root",
                "/run/" + name, "--pidfile", "/run/" + name + ".pid", "-H", host)
                .redirectErrorStream(true).redirectOutput(dataRoot.resolveSibling(name + ".log").toFile()).start();
        Poller.within(Duration.ofSeconds(60)).until("dockerd to answer on " + host, () -> {
            if (!daemon.isAlive()) {
                throw new AssertionError("dockerd exited " + daemon.exitValue() + "; see " + dataRoot.resolveSibling(name + ".log"));
            }
            return answers(host);
        });
        return new DockerDaemon(host, daemon, dataRoot);
    }

    /** The daemon the machine already has: DOCKER_HOST's when it answers, else the default socket's, else none. */
    static String existingDaemon(String dockerHost, java.util.function.Predicate<String> answers) {
        if (dockerHost != null && !dockerHost.isBlank()) {
            if (answers.test(dockerHost)) {
                return dockerHost;
            }
        } else if (answers.test(DEFAULT_HOST)) {
            return DEFAULT_HOST;
        }
        return null;
    }

    /** Where Docker Engine listens unless told otherwise (a CI runner's Docker, a workstation's). */
    static final String DEFAULT_HOST = "unix:///var/run/docker.sock";

    Map<String, String> environment() {
        return Map.of("DOCKER_HOST", host);
    }

    /**
     * Runs a command in the repository (a script, docker-compose) against this daemon, with {@code environment}
     * added; returns its standard output, or fails with both of its outputs.
     */
    String inRepository(List<String> line, Map<String, String> environment, Duration limit)
            throws IOException, InterruptedException {
        Path output = Files.createTempFile("in-repository-", ".out");
        Path errors = Files.createTempFile("in-repository-", ".err");
        try {
            ProcessBuilder builder = new ProcessBuilder(line).directory(Checkout.root().toFile())
                    .redirectOutput(output.toFile()).redirectError(errors.toFile());
            builder.environment().putAll(environment());
            // the scripts' records of what they built stay with this daemon, which alone holds those images
            builder.environment().put("MICRO_CANARY_STATE", builds.toString());
            builder.environment().putAll(environment);
            Process process = builder.start();
            if (!process.waitFor(limit.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", line) + " did not finish within " + limit);
            }
            String printed = Files.readString(output);
            if (process.exitValue() != 0) {
                throw new AssertionError(String.join(" ", line) + " failed (" + process.exitValue() + "): " + printed
                        + Files.readString(errors));
            }
            return printed;
        } finally {
            Files.deleteIfExists(output);
            Files.deleteIfExists(errors);
        }
    }

    /** Runs the docker CLI; returns what it printed, or fails with it. */
    String docker(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("docker"));
        command.addAll(List.of(args));
        Result result = run(command, host);
        if (result.exitCode() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed (" + result.exitCode() + "): " + result.output());
        }
        return result.output().strip();
    }

    int exitCode(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("docker"));
        command.addAll(List.of(args));
        return run(command, host).exitCode();
    }

    private static boolean answers(String host) {
        try {
            return run(List.of("docker", "info", "--format", "{{.ServerVersion}}"), host).exitCode() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static Result run(List<String> command, String host) throws IOException, InterruptedException {
        Path output = Files.createTempFile("docker-", ".out");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().put("DOCKER_HOST", host);
        Process process = builder.start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError(command + " did not finish in 5 minutes");
        }
        String printed = Files.readString(output, StandardCharsets.UTF_8);
        Files.delete(output);
        return new Result(process.exitValue(), printed);
    }

    private record Result(int exitCode, String output) {
    }

    @Override
    public void close() throws InterruptedException, IOException {
        if (daemon == null) {
            return;
        }
        daemon.destroy();
        if (!daemon.waitFor(30, TimeUnit.SECONDS)) {
            daemon.destroyForcibly();
        }
        new ProcessBuilder("rm", "-rf", dataRoot.toString()).start().waitFor(60, TimeUnit.SECONDS);
    }
}
