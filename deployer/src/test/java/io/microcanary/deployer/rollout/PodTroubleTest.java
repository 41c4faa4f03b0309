package io.microcanary.deployer.rollout;

import io.kubernetes.client.openapi.models.V1ContainerState;
import io.kubernetes.client.openapi.models.V1ContainerStateRunning;
import io.kubernetes.client.openapi.models.V1ContainerStateWaiting;
import io.kubernetes.client.openapi.models.V1ContainerStatus;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodCondition;
import io.kubernetes.client.openapi.models.V1PodStatus;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PodTroubleTest {

    @Test
    void findsTheStatesThatWillNotHealByWaiting() {
        for (String reason : List.of("CrashLoopBackOff", "ImagePullBackOff", "ErrImagePull", "CreateContainerConfigError")) {
            Optional<PodTrouble.Problem> problem = PodTrouble.find(List.of(healthy("a"), waiting("b", reason)));
            assertTrue(problem.isPresent(), reason);
            assertEquals("b", problem.get().pod());
            assertEquals(reason, problem.get().reason());
            assertTrue(problem.get().description().startsWith("pod b is in " + reason), problem.get().description());
        }
    }

    @Test
    void containerCreatingIsNormalProgress() {
        assertTrue(PodTrouble.find(List.of(waiting("a", "ContainerCreating"), healthy("b"))).isEmpty());
    }

    @Test
    void anUnschedulablePodIsReportedWithTheSchedulersMessage() {
        V1Pod pending = new V1Pod().metadata(new V1ObjectMeta().name("p")).status(new V1PodStatus().phase("Pending")
                .conditions(List.of(new V1PodCondition().type("PodScheduled").status("False").reason("Unschedulable")
                        .message("0/1 nodes are available: 1 Insufficient memory."))));
        assertEquals("pod p cannot be scheduled: 0/1 nodes are available: 1 Insufficient memory.",
                PodTrouble.find(List.of(pending)).orElseThrow().description());
    }

    private static V1Pod healthy(String name) {
        return pod(name, new V1ContainerState().running(new V1ContainerStateRunning()));
    }

    private static V1Pod waiting(String name, String reason) {
        return pod(name, new V1ContainerState().waiting(new V1ContainerStateWaiting().reason(reason)));
    }

    private static V1Pod pod(String name, V1ContainerState state) {
        return new V1Pod().metadata(new V1ObjectMeta().name(name)).status(new V1PodStatus().phase("Running")
                .containerStatuses(List.of(new V1ContainerStatus().name("app").state(state))));
    }
}
