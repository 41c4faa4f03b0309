package io.microcanary.deployer.rollout;

import io.kubernetes.client.openapi.models.V1ContainerStatus;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodCondition;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Pod states that will not heal by waiting, found within seconds instead of after a progress deadline: the
 * troubleshooting list of the tutorials (CrashLoopBackOff, ImagePullBackOff/ErrImagePull, a missing Secret or
 * ConfigMap, nowhere to schedule).
 */
public final class PodTrouble {

    private static final Set<String> HOPELESS_WAITING_REASONS = Set.of("CrashLoopBackOff", "ImagePullBackOff",
            "ErrImagePull", "InvalidImageName", "CreateContainerConfigError", "CreateContainerError");

    private PodTrouble() {
    }

    /** The first hopeless pod among {@code pods}, described for a person. */
    public static Optional<Problem> find(List<V1Pod> pods) {
        for (V1Pod pod : pods) {
            Optional<Problem> problem = of(pod);
            if (problem.isPresent()) {
                return problem;
            }
        }
        return Optional.empty();
    }

    static Optional<Problem> of(V1Pod pod) {
        String name = pod.getMetadata().getName();
        if (pod.getStatus() == null) {
            return Optional.empty();
        }
        for (V1ContainerStatus container : nullSafe(pod.getStatus().getContainerStatuses())) {
            var waiting = container.getState() == null ? null : container.getState().getWaiting();
            if (waiting != null && HOPELESS_WAITING_REASONS.contains(waiting.getReason())) {
                String message = waiting.getMessage() == null ? "" : ": " + waiting.getMessage();
                return Optional.of(new Problem(name, container.getName(), waiting.getReason(),
                        "pod " + name + " is in " + waiting.getReason() + message));
            }
        }
        for (V1PodCondition condition : nullSafe(pod.getStatus().getConditions())) {
            if ("PodScheduled".equals(condition.getType()) && "False".equals(condition.getStatus())
                    && "Unschedulable".equals(condition.getReason())) {
                return Optional.of(new Problem(name, null, "Unschedulable",
                        "pod " + name + " cannot be scheduled: " + condition.getMessage()));
            }
        }
        return Optional.empty();
    }

    private static <T> List<T> nullSafe(List<T> list) {
        return list == null ? List.of() : list;
    }

    /** What is wrong, with the container whose logs may say why ({@code null} when it never ran). */
    public record Problem(String pod, String container, String reason, String description) {
    }
}
