package io.microcanary.deployer.rollout;

import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1DeploymentCondition;
import io.kubernetes.client.openapi.models.V1DeploymentStatus;

import java.util.List;
import java.util.Objects;

/**
 * kubectl's rollout-status rules for a Deployment (kubectl/pkg/polymorphichelpers/rollout_status.go), as data:
 * the spec change must be observed, the progress deadline must not have passed, every replica must be updated,
 * old replicas must be gone and the updated ones available.
 */
public record RolloutStatus(State state, String message) {

    public enum State { PROGRESSING, COMPLETE, FAILED }

    public boolean done() {
        return state == State.COMPLETE;
    }

    public static RolloutStatus of(V1Deployment deployment) {
        String name = deployment.getMetadata().getName();
        V1DeploymentStatus status = Objects.requireNonNullElseGet(deployment.getStatus(), V1DeploymentStatus::new);
        long generation = Objects.requireNonNullElse(deployment.getMetadata().getGeneration(), 0L);
        long observed = Objects.requireNonNullElse(status.getObservedGeneration(), 0L);
        if (generation > observed) {
            return progressing("waiting for deployment %s spec update to be observed", name);
        }
        if (deadlineExceeded(status.getConditions())) {
            return new RolloutStatus(State.FAILED, "deployment " + name + " exceeded its progress deadline");
        }
        int desired = Objects.requireNonNullElse(deployment.getSpec().getReplicas(), 1);
        int replicas = count(status.getReplicas());
        int updated = count(status.getUpdatedReplicas());
        int available = count(status.getAvailableReplicas());
        if (updated < desired) {
            return progressing("waiting for deployment %s rollout to finish: %d out of %d new replicas have been updated",
                    name, updated, desired);
        }
        if (replicas > updated) {
            return progressing("waiting for deployment %s rollout to finish: %d old replicas are pending termination",
                    name, replicas - updated);
        }
        if (available < updated) {
            return progressing("waiting for deployment %s rollout to finish: %d of %d updated replicas are available",
                    name, available, updated);
        }
        return new RolloutStatus(State.COMPLETE, "deployment " + name + " successfully rolled out");
    }

    private static boolean deadlineExceeded(List<V1DeploymentCondition> conditions) {
        return conditions != null && conditions.stream().anyMatch(condition ->
                "Progressing".equals(condition.getType()) && "ProgressDeadlineExceeded".equals(condition.getReason()));
    }

    private static int count(Integer value) {
        return value == null ? 0 : value;
    }

    private static RolloutStatus progressing(String format, Object... args) {
        return new RolloutStatus(State.PROGRESSING, String.format(format, args));
    }
}
