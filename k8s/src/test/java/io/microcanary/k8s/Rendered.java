package io.microcanary.k8s;

import io.microcanary.testsupport.Checkout;

import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.util.Yaml;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A kustomization rendered by {@code kubectl kustomize} (kustomize built in) and loaded as typed objects. */
final class Rendered {

    static final String KUBECTL = "/usr/bin/kubectl";

    private Rendered() {
    }

    /** Renders {@code kustomization} (relative to the checkout), writing the deploy-time secrets first. */
    static List<KubernetesObject> render(String kustomization) throws IOException, InterruptedException {
        if (!Files.isExecutable(Path.of(KUBECTL))) {
            throw new IllegalStateException(KUBECTL + " is missing: the manifests are rendered with kubectl's kustomize");
        }
        run(List.of("bash", Checkout.root().resolve("scripts/k8s-secrets.sh").toString()));
        String yaml = run(List.of(KUBECTL, "kustomize", Checkout.root().resolve(kustomization).toString()));
        return Yaml.loadAll(yaml).stream().map(KubernetesObject.class::cast).toList();
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Path out = Files.createTempFile("render-", ".out");
        Path err = Files.createTempFile("render-", ".err");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(command + " did not finish in 60 s");
        }
        String output = Files.readString(out, StandardCharsets.UTF_8);
        String errors = Files.readString(err, StandardCharsets.UTF_8);
        Files.delete(out);
        Files.delete(err);
        if (process.exitValue() != 0) {
            throw new AssertionError(command + " failed (" + process.exitValue() + "): " + errors);
        }
        return output;
    }
}
