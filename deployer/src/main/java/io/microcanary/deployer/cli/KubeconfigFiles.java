package io.microcanary.deployer.cli;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * kubectl's rules for which kubeconfig to read: {@code --kubeconfig}, else every file of {@code KUBECONFIG} merged
 * (the first file to name a cluster, user or context wins, and so does the first current-context), else
 * ~/.kube/config. Paths of certificate files are made absolute against the file that names them, as kubectl does.
 */
final class KubeconfigFiles {

    private static final List<String> NAMED_LISTS = List.of("clusters", "users", "contexts");
    private static final Set<String> PATH_FIELDS = Set.of("certificate-authority", "client-certificate", "client-key",
            "tokenFile");

    private KubeconfigFiles() {
    }

    /** The files to read, in kubectl's order; missing files of {@code KUBECONFIG} are skipped as kubectl skips them. */
    static List<Path> chosen(String explicit, String kubeconfigVariable, String home) {
        if (explicit != null) {
            return List.of(Path.of(explicit));
        }
        if (kubeconfigVariable != null && !kubeconfigVariable.isBlank()) {
            Set<Path> files = new LinkedHashSet<>();
            for (String part : kubeconfigVariable.split(File.pathSeparator)) {
                if (!part.isBlank() && Files.exists(Path.of(part))) {
                    files.add(Path.of(part));
                }
            }
            if (files.isEmpty()) {
                throw new IllegalArgumentException("none of the files in KUBECONFIG exists: " + kubeconfigVariable);
            }
            return new ArrayList<>(files);
        }
        return List.of(Path.of(home, ".kube", "config"));
    }

    /** The files merged into one kubeconfig document. */
    static String merged(List<Path> files) throws IOException {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("apiVersion", "v1");
        result.put("kind", "Config");
        Map<String, Map<String, Object>> named = new LinkedHashMap<>();
        NAMED_LISTS.forEach(list -> named.put(list, new LinkedHashMap<>()));
        for (Path file : files) {
            Object loaded = new Yaml(new LoaderOptions()).load(Files.readString(file));
            if (!(loaded instanceof Map<?, ?> config)) {
                continue;
            }
            if (!result.containsKey("current-context") && config.get("current-context") instanceof String current
                    && !current.isBlank()) {
                result.put("current-context", current);
            }
            if (!result.containsKey("preferences") && config.get("preferences") != null) {
                result.put("preferences", config.get("preferences"));
            }
            for (String list : NAMED_LISTS) {
                if (config.get(list) instanceof List<?> entries) {
                    for (Object entry : entries) {
                        if (entry instanceof Map<?, ?> item && item.get("name") instanceof String name) {
                            named.get(list).putIfAbsent(name, absolutePaths(item, file.toAbsolutePath().getParent()));
                        }
                    }
                }
            }
        }
        named.forEach((list, entries) -> result.put(list, new ArrayList<>(entries.values())));
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        return new Yaml(options).dump(result);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> absolutePaths(Map<?, ?> entry, Path directory) {
        Map<String, Object> copy = new LinkedHashMap<>();
        entry.forEach((key, value) -> {
            if (value instanceof Map<?, ?> inner) {
                copy.put((String) key, absolutePaths(inner, directory));
            } else if (PATH_FIELDS.contains(key) && value instanceof String path && !Path.of(path).isAbsolute()) {
                copy.put((String) key, directory.resolve(path).toString());
            } else {
                copy.put((String) key, value);
            }
        });
        return copy;
    }
}
