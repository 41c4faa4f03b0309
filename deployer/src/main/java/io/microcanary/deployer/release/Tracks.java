package io.microcanary.deployer.release;

import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.microcanary.deployer.cluster.Pods;

import java.util.List;

/**
 * Names, labels and annotations of the two tracks. All state of a release lives on the canary Deployment, so any
 * run (or another person) can resume or abort it.
 */
public final class Tracks {

    public static final String TRACK = "track";
    public static final String VERSION = "version";
    /**
     * On the canary: how many pods stable had before it made room for the canary. It lives on the canary, which exists
     * only while a release does, because the deployment controller copies stable's annotations into its ReplicaSets
     * and {@code kubectl rollout undo} copies them back.
     */
    public static final String STABLE_REPLICAS = "micro-canary.io/stable-replicas";
    /** On the canary: the stable Deployment it belongs to. */
    public static final String CANARY_OF = "micro-canary.io/canary-of";

    private Tracks() {
    }

    public static String canaryName(String service) {
        return service + "-canary";
    }

    public static String selector(String service, String track) {
        return "app=" + service + "," + TRACK + "=" + track;
    }

    /** The container named {@code app} (this project's convention), else the first. */
    public static V1Container appContainer(V1Deployment deployment) {
        List<V1Container> containers = deployment.getSpec().getTemplate().getSpec().getContainers();
        return containers.stream().filter(c -> Pods.APP_CONTAINER.equals(c.getName())).findFirst()
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
}
