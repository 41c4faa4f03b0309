package io.microcanary.systemtests;

import io.kubernetes.client.openapi.models.V1ConfigMapVolumeSource;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1EnvVarSource;
import io.kubernetes.client.openapi.models.V1KeyToPath;
import io.kubernetes.client.openapi.models.V1SecretKeySelector;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the kubelet does with a container's spec before the runtime sees it, for the parts the stores' StatefulSets
 * use, taken from the rendered Secrets and ConfigMaps (kustomize's output, with their generated names):
 * <ul>
 *   <li>the environment, in the order of the list: {@code value} with {@code $(VAR)} of the variables before it
 *   expanded, {@code valueFrom.secretKeyRef} as the Secret's {@code data} value base64-decoded (or its
 *   {@code stringData}), {@code valueFrom.configMapKeyRef} as the ConfigMap's value; any other source fails;</li>
 *   <li>{@code command} and {@code args} with {@code $(VAR)} expanded from the whole environment;</li>
 *   <li>a configMap volume as a directory of one file per key (or per item), mode {@code items[].mode}, else
 *   {@code defaultMode}, else 0644, group fsGroup when the pod sets one.</li>
 * </ul>
 * The expansion is Kubernetes' (third_party/forked/golang/expansion): {@code $(NAME)} of a defined variable becomes
 * its value, of an undefined one stays as written; {@code $$} becomes {@code $}; any other {@code $} stays.
 * Not emulated: envFrom, fieldRef and resourceFieldRef, optional references (a missing one fails here), the
 * atomic-writer symlinks (..data) of a real configMap volume and its updates while the pod runs.
 */
final class KubeletRules {

    private final Map<String, Map<String, Object>> secrets = new LinkedHashMap<>();
    private final Map<String, Map<String, Object>> configMaps = new LinkedHashMap<>();

    /** The Secrets and ConfigMaps of a rendered multi-document YAML. */
    @SuppressWarnings("unchecked")
    KubeletRules(String renderedYaml) {
        for (Object document : new Yaml().loadAll(renderedYaml)) {
            if (!(document instanceof Map<?, ?> object)) {
                continue;
            }
            String name = String.valueOf(((Map<String, Object>) object.get("metadata")).get("name"));
            if ("Secret".equals(object.get("kind"))) {
                secrets.put(name, (Map<String, Object>) object);
            } else if ("ConfigMap".equals(object.get("kind"))) {
                configMaps.put(name, (Map<String, Object>) object);
            }
        }
    }

    /** The container's environment as the kubelet hands it to the runtime, in the order of its list. */
    Map<String, String> environment(V1Container container) {
        Map<String, String> environment = new LinkedHashMap<>();
        if (container.getEnvFrom() != null && !container.getEnvFrom().isEmpty()) {
            throw new AssertionError(container.getName() + ": envFrom is not emulated here");
        }
        for (V1EnvVar variable : Optional.ofNullable(container.getEnv()).orElse(List.of())) {
            String value;
            V1EnvVarSource source = variable.getValueFrom();
            if (source == null) {
                value = expand(Optional.ofNullable(variable.getValue()).orElse(""), environment);
            } else if (source.getSecretKeyRef() != null) {
                V1SecretKeySelector reference = source.getSecretKeyRef();
                value = secretValue(reference.getName(), reference.getKey());
            } else if (source.getConfigMapKeyRef() != null) {
                value = configMapData(source.getConfigMapKeyRef().getName()).get(source.getConfigMapKeyRef().getKey());
                if (value == null) {
                    throw new AssertionError("the ConfigMap " + source.getConfigMapKeyRef().getName() + " has no key "
                            + source.getConfigMapKeyRef().getKey() + " (" + variable.getName() + ")");
                }
            } else {
                throw new AssertionError(variable.getName() + ": only secretKeyRef and configMapKeyRef are emulated here");
            }
            environment.put(variable.getName(), value);
        }
        return environment;
    }

    /** {@code command} then {@code args} with the environment's {@code $(VAR)} expanded; empty lists when unset. */
    List<String> expanded(List<String> commandOrArgs, Map<String, String> environment) {
        List<String> expanded = new ArrayList<>();
        for (String word : Optional.ofNullable(commandOrArgs).orElse(List.of())) {
            expanded.add(expand(word, environment));
        }
        return expanded;
    }

    /** A Secret's value under key, decoded from the base64 of its data (or taken from stringData). */
    @SuppressWarnings("unchecked")
    String secretValue(String secret, String key) {
        Map<String, Object> object = secrets.get(secret);
        if (object == null) {
            throw new AssertionError("no Secret " + secret + " was rendered (rendered: " + secrets.keySet() + ")");
        }
        Map<String, Object> data = (Map<String, Object>) Optional.ofNullable(object.get("data")).orElse(Map.of());
        Map<String, Object> stringData = (Map<String, Object>) Optional.ofNullable(object.get("stringData")).orElse(Map.of());
        if (stringData.containsKey(key)) {
            return String.valueOf(stringData.get(key));
        }
        if (!data.containsKey(key)) {
            throw new AssertionError("the Secret " + secret + " has no key " + key + " (keys: " + data.keySet() + ")");
        }
        return new String(Base64.getDecoder().decode(String.valueOf(data.get(key))), StandardCharsets.UTF_8);
    }

    /**
     * A configMap volume written into a new directory as the kubelet lays it out: one file per key (or per item,
     * at its path), with its mode, owned by root and the pod's fsGroup; the directory readable by anyone.
     */
    Path configMapVolume(V1ConfigMapVolumeSource source, Long fsGroup) throws IOException {
        Map<String, String> data = configMapData(source.getName());
        Path directory = Files.createTempDirectory("configmap-" + source.getName() + "-");
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
        int defaultMode = Optional.ofNullable(source.getDefaultMode()).orElse(0644);
        List<V1KeyToPath> items = source.getItems();
        if (items == null || items.isEmpty()) {
            items = data.keySet().stream().map(key -> new V1KeyToPath().key(key).path(key)).toList();
        }
        for (V1KeyToPath item : items) {
            String content = data.get(item.getKey());
            if (content == null) {
                throw new AssertionError("the ConfigMap " + source.getName() + " has no key " + item.getKey());
            }
            Path file = directory.resolve(item.getPath());
            Files.createDirectories(file.getParent());
            Files.writeString(file, content);
            Files.setPosixFilePermissions(file, permissions(Optional.ofNullable(item.getMode()).orElse(defaultMode)));
            if (fsGroup != null) {
                Files.setAttribute(file, "unix:gid", fsGroup.intValue());
            }
        }
        return directory;
    }

    @SuppressWarnings("unchecked")
    private Map<String, String> configMapData(String name) {
        Map<String, Object> object = configMaps.get(name);
        if (object == null) {
            throw new AssertionError("no ConfigMap " + name + " was rendered (rendered: " + configMaps.keySet() + ")");
        }
        Map<String, String> data = new LinkedHashMap<>();
        ((Map<String, Object>) Optional.ofNullable(object.get("data")).orElse(Map.of()))
                .forEach((key, value) -> data.put(key, String.valueOf(value)));
        ((Map<String, Object>) Optional.ofNullable(object.get("binaryData")).orElse(Map.of()))
                .forEach((key, value) -> data.put(key, new String(Base64.getDecoder().decode(String.valueOf(value)), StandardCharsets.UTF_8)));
        return data;
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] bits = {PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
                PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE,
                PosixFilePermission.GROUP_READ, PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
                PosixFilePermission.OWNER_READ};
        for (int bit = 0; bit < bits.length; bit++) {
            if ((mode & (1 << bit)) != 0) {
                permissions.add(bits[bit]);
            }
        }
        return permissions;
    }

    /** Kubernetes' expansion of {@code $(VAR)} in a value, a command or an argument (see the class comment). */
    static String expand(String input, Map<String, String> environment) {
        StringBuilder out = new StringBuilder();
        int cursor = 0;
        while (cursor < input.length()) {
            char c = input.charAt(cursor);
            if (c != '$' || cursor + 1 >= input.length()) {
                out.append(c);
                cursor++;
                continue;
            }
            char next = input.charAt(cursor + 1);
            if (next == '$') {
                out.append('$');
                cursor += 2;
            } else if (next == '(') {
                int close = input.indexOf(')', cursor + 2);
                if (close < 0) {
                    out.append("$(");
                    cursor += 2;
                } else {
                    String name = input.substring(cursor + 2, close);
                    out.append(environment.containsKey(name) ? environment.get(name) : "$(" + name + ")");
                    cursor = close + 1;
                }
            } else {
                out.append('$').append(next);
                cursor += 2;
            }
        }
        return out.toString();
    }
}
