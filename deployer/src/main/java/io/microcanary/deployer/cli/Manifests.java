package io.microcanary.deployer.cli;

import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.util.Yaml;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The project's manifests as typed objects: a rendered file, or a kustomize directory rendered by kubectl. */
final class Manifests {

    private Manifests() {
    }

    static V1Deployment deployment(Path manifests, String name) {
        List<Object> objects;
        try {
            objects = Yaml.loadAll(Files.isDirectory(manifests) ? kustomize(manifests) : Files.readString(manifests));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read manifests " + manifests + ": " + e.getMessage(), e);
        }
        return objects.stream()
                .filter(V1Deployment.class::isInstance).map(V1Deployment.class::cast)
                .filter(d -> name.equals(d.getMetadata().getName()))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no Deployment " + name + " in " + manifests));
    }

    private static String kustomize(Path directory) throws IOException {
        Process process = new ProcessBuilder("kubectl", "kustomize", directory.toString())
                .redirectErrorStream(false).start();
        String rendered = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String errors = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (process.waitFor() != 0) {
                throw new IllegalArgumentException("kubectl kustomize " + directory + " failed: " + errors.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        return rendered;
    }
}
