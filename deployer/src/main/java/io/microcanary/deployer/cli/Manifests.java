package io.microcanary.deployer.cli;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A Deployment of the project's manifests (a rendered file, or a kustomize directory rendered by kubectl) as the
 * JSON a person wrote: only the fields written there, which is what an apply configuration may carry.
 */
final class Manifests {

    private Manifests() {
    }

    private static final Gson GSON = new Gson();

    static JsonObject deployment(Path manifests, String name) {
        String text;
        try {
            text = Files.isDirectory(manifests) ? kustomize(manifests) : Files.readString(manifests);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read manifests " + manifests + ": " + e.getMessage(), e);
        }
        for (Object document : new Yaml(new LoaderOptions()).loadAll(text)) {
            if (document instanceof Map<?, ?> object && "Deployment".equals(object.get("kind"))
                    && object.get("metadata") instanceof Map<?, ?> metadata && name.equals(metadata.get("name"))) {
                return GSON.toJsonTree(object).getAsJsonObject();
            }
        }
        throw new IllegalArgumentException("no Deployment " + name + " in " + manifests);
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
