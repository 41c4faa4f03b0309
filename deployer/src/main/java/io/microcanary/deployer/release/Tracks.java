package io.microcanary.deployer.release;

import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1ObjectMeta;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Names, labels and annotations of the two tracks, and the canary derived from stable as an object. All state of a
 * release lives on these objects, so any run (or another person) can resume or abort it.
 */
public final class Tracks {

    public static final String TRACK = "track";
    public static final String VERSION = "version";
    /** On stable while a canary runs: how many pods stable had before it made room for the canary. */
    public static final String FULL_REPLICAS = "micro-canary.io/full-replicas";
    /** On the canary: the stable Deployment it belongs to. */
    public static final String CANARY_OF = "micro-canary.io/canary-of";
    static final String APP_CONTAINER = "app";

    private static final JSON JSON = new JSON();

    private Tracks() {
    }

    public static String canaryName(String service) {
        return service + "-canary";
    }

    public static String selector(String service, String track) {
        return "app=" + service + "," + TRACK + "=" + track;
    }

    /**
     * {@code stable} with another name, {@code track: canary}, the new image and version, its own replicas and
     * environment overrides for the app container.
     */
    public static V1Deployment deriveCanary(V1Deployment stable, String image, int replicas, Map<String, String> env) {
        V1Deployment canary = fresh(stable);
        String service = stable.getMetadata().getName();
        String version = versionOf(image);
        canary.getMetadata().name(canaryName(service))
                .labels(with(canary.getMetadata().getLabels(), TRACK, "canary", VERSION, version))
                .annotations(Map.of(CANARY_OF, service));
        var spec = canary.getSpec().replicas(replicas);
        spec.getSelector().matchLabels(with(spec.getSelector().getMatchLabels(), TRACK, "canary"));
        spec.getTemplate().getMetadata().labels(with(spec.getTemplate().getMetadata().getLabels(),
                TRACK, "canary", VERSION, version));
        V1Container app = appContainer(canary).image(image);
        env.forEach((name, value) -> {
            List<V1EnvVar> vars = new ArrayList<>(app.getEnv() == null ? List.of() : app.getEnv());
            vars.removeIf(existing -> existing.getName().equals(name));
            vars.add(new V1EnvVar().name(name).value(value));
            app.env(vars);
        });
        return canary;
    }

    /** {@code stable} running {@code image} with {@code replicas} pods, ready to be applied. */
    public static V1Deployment withImage(V1Deployment stable, String image, int replicas) {
        V1Deployment updated = fresh(stable);
        String version = versionOf(image);
        updated.getMetadata().labels(with(updated.getMetadata().getLabels(), VERSION, version));
        updated.getSpec().replicas(replicas);
        updated.getSpec().getTemplate().getMetadata().labels(with(
                updated.getSpec().getTemplate().getMetadata().getLabels(), VERSION, version));
        appContainer(updated).image(image);
        return updated;
    }

    /** The container named {@code app} (this project's convention), else the first. */
    public static V1Container appContainer(V1Deployment deployment) {
        List<V1Container> containers = deployment.getSpec().getTemplate().getSpec().getContainers();
        return containers.stream().filter(c -> APP_CONTAINER.equals(c.getName())).findFirst()
                .orElse(containers.get(0));
    }

    public static String image(V1Deployment deployment) {
        return appContainer(deployment).getImage();
    }

    /** The tag of an image reference, usable as a label value ({@code repo/app:abc123} gives {@code abc123}). */
    public static String versionOf(String image) {
        String tag;
        if (image.contains("@")) {
            tag = image.substring(image.indexOf('@') + 1);
        } else {
            int colon = image.lastIndexOf(':');
            tag = colon > image.lastIndexOf('/') ? image.substring(colon + 1) : "untagged";
        }
        String label = tag.replaceAll("[^A-Za-z0-9_.-]", "-");
        return label.length() > 63 ? label.substring(0, 63) : label;
    }

    /** A copy holding only what a person would write: no status, server-set metadata or ownership records. */
    private static V1Deployment fresh(V1Deployment deployment) {
        V1Deployment copy = JSON.deserialize(JSON.serialize(deployment), V1Deployment.class);
        V1ObjectMeta source = copy.getMetadata();
        copy.apiVersion("apps/v1").kind("Deployment").status(null)
                .metadata(new V1ObjectMeta().name(source.getName()).namespace(source.getNamespace())
                        .labels(source.getLabels()).annotations(withoutHarnessState(source.getAnnotations())));
        return copy;
    }

    private static Map<String, String> withoutHarnessState(Map<String, String> annotations) {
        if (annotations == null) {
            return null;
        }
        Map<String, String> kept = new HashMap<>(annotations);
        kept.remove(FULL_REPLICAS);
        kept.remove("kubectl.kubernetes.io/last-applied-configuration");
        kept.remove("deployment.kubernetes.io/revision");
        return kept.isEmpty() ? null : kept;
    }

    private static Map<String, String> with(Map<String, String> labels, String... keyValues) {
        Map<String, String> result = new LinkedHashMap<>(labels == null ? Map.of() : labels);
        for (int i = 0; i < keyValues.length; i += 2) {
            result.put(keyValues[i], keyValues[i + 1]);
        }
        return result;
    }
}
