package io.microcanary.deployer.cluster;

import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1Pod;

/**
 * What the harness reads off a pod as the API server returns it. The service runs in the container named {@code app}
 * (this project's convention), else in the first one.
 */
public final class Pods {

    public static final String APP_CONTAINER = "app";

    private Pods() {
    }

    /** The pod's Ready condition is True: the Service sends it traffic. */
    public static boolean isReady(V1Pod pod) {
        return pod.getStatus() != null && pod.getStatus().getConditions() != null
                && pod.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    /** The first port the app container declares, for the pod proxy; {@code null} when it declares none. */
    public static String appPort(V1Pod pod) {
        V1Container container = pod.getSpec().getContainers().stream()
                .filter(c -> APP_CONTAINER.equals(c.getName())).findFirst()
                .orElse(pod.getSpec().getContainers().get(0));
        return container.getPorts() == null || container.getPorts().isEmpty() ? null
                : String.valueOf(container.getPorts().get(0).getContainerPort());
    }
}
