package io.microcanary.deployer.rollout;

import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1DeploymentCondition;
import io.kubernetes.client.openapi.models.V1DeploymentSpec;
import io.kubernetes.client.openapi.models.V1DeploymentStatus;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The sequence of statuses a rolling update of 3 replicas goes through, judged as kubectl rollout status does. */
class RolloutStatusTest {

    @Test
    void followsARollingUpdateToTheEnd() {
        List<String> seen = List.of(
                deployment(2, 1, 3, 3, 3, 3),
                deployment(2, 2, 4, 1, 3, 3),
                deployment(2, 2, 4, 3, 3, 3),
                deployment(2, 2, 3, 3, 2, 2),
                deployment(2, 2, 3, 3, 3, 3)).stream().map(d -> RolloutStatus.of(d).message()).toList();

        assertEquals(List.of(
                "waiting for deployment addressbook spec update to be observed",
                "waiting for deployment addressbook rollout to finish: 1 out of 3 new replicas have been updated",
                "waiting for deployment addressbook rollout to finish: 1 old replicas are pending termination",
                "waiting for deployment addressbook rollout to finish: 2 of 3 updated replicas are available",
                "deployment addressbook successfully rolled out"), seen);
        assertEquals(RolloutStatus.State.COMPLETE, RolloutStatus.of(deployment(2, 2, 3, 3, 3, 3)).state());
    }

    @Test
    void aPassedProgressDeadlineIsAFailureNotAWait() {
        V1Deployment stuck = deployment(3, 3, 2, 1, 1, 1);
        stuck.getStatus().conditions(List.of(new V1DeploymentCondition().type("Progressing").status("False")
                .reason("ProgressDeadlineExceeded")));

        RolloutStatus status = RolloutStatus.of(stuck);
        assertEquals(RolloutStatus.State.FAILED, status.state());
        assertEquals("deployment addressbook exceeded its progress deadline", status.message());
    }

    @Test
    void aNewDeploymentWithoutStatusIsWaitedFor() {
        V1Deployment fresh = new V1Deployment().metadata(new V1ObjectMeta().name("addressbook").generation(1L))
                .spec(new V1DeploymentSpec().replicas(1));
        assertEquals(RolloutStatus.State.PROGRESSING, RolloutStatus.of(fresh).state());
    }

    @Test
    void scaledToZeroIsDone() {
        assertEquals(RolloutStatus.State.COMPLETE, RolloutStatus.of(deployment(4, 4, 0, 0, 0, 0, 0)).state());
    }

    private static V1Deployment deployment(long generation, long observed, int replicas, int updated, int ready,
                                           int available) {
        return deployment(generation, observed, replicas, updated, ready, available, 3);
    }

    private static V1Deployment deployment(long generation, long observed, int replicas, int updated, int ready,
                                           int available, int desired) {
        return new V1Deployment()
                .metadata(new V1ObjectMeta().name("addressbook").generation(generation))
                .spec(new V1DeploymentSpec().replicas(desired))
                .status(new V1DeploymentStatus().observedGeneration(observed).replicas(replicas)
                        .updatedReplicas(updated).readyReplicas(ready).availableReplicas(available));
    }
}
