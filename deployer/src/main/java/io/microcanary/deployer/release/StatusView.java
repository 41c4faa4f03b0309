package io.microcanary.deployer.release;

import io.kubernetes.client.openapi.models.CoreV1Event;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.microcanary.deployer.cluster.Cluster;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** {@code canary status}: the two tracks of a service as a tree, the traffic split as a bar, the last events. */
public final class StatusView {

    private static final int BAR_WIDTH = 20;
    private static final int EVENTS = 5;

    private final Cluster cluster;

    public StatusView(Cluster cluster) {
        this.cluster = cluster;
    }

    public String render(List<String> services) {
        StringBuilder out = new StringBuilder();
        for (String service : services) {
            out.append(render(service)).append('\n');
        }
        return out.toString();
    }

    public String render(String service) {
        Optional<V1Deployment> stable = cluster.deployment(service);
        Optional<V1Deployment> canary = cluster.deployment(Tracks.canaryName(service));
        StringBuilder out = new StringBuilder();
        out.append(service).append("  (namespace ").append(cluster.namespace()).append(")\n");
        if (stable.isEmpty()) {
            return out.append("└─ not deployed\n").toString();
        }
        out.append("├─ ").append(line("stable", stable.get())).append('\n');
        out.append(canary.map(c -> "├─ " + line("canary", c)).orElse("├─ canary  none")).append('\n');
        int stableReady = ready(stable.get());
        int canaryReady = canary.map(StatusView::ready).orElse(0);
        out.append("└─ traffic ").append(bar(stableReady, canaryReady)).append('\n');
        List<String> last = lastEvents(eventsOf(service));
        if (!last.isEmpty()) {
            out.append("   events:\n");
            last.forEach(line -> out.append("     ").append(line).append('\n'));
        }
        return out.toString();
    }

    /** True when nothing of the service is moving: no canary, and stable rolled out. */
    public boolean settled(String service) {
        Optional<V1Deployment> stable = cluster.deployment(service);
        return cluster.deployment(Tracks.canaryName(service)).isEmpty()
                && stable.map(d -> io.microcanary.deployer.rollout.RolloutStatus.of(d).done()).orElse(true);
    }

    /**
     * Events about the service's two Deployments, their ReplicaSets and their pods: a pod that cannot be scheduled or
     * keeps failing its probe says so on the pod, not on the Deployment (whose name a Service shares, hence the kind).
     */
    private List<CoreV1Event> eventsOf(String service) {
        Set<String> deployments = Set.of(service, Tracks.canaryName(service));
        Set<String> pods = cluster.pods("app=" + service).stream().map(p -> p.getMetadata().getName())
                .collect(Collectors.toSet());
        List<CoreV1Event> events = new ArrayList<>();
        cluster.events("Deployment").stream().filter(e -> deployments.contains(e.getInvolvedObject().getName()))
                .forEach(events::add);
        cluster.events("ReplicaSet").stream().filter(e -> deployments.contains(ownerOf(e.getInvolvedObject().getName())))
                .forEach(events::add);
        cluster.events("Pod").stream().filter(e -> pods.contains(e.getInvolvedObject().getName())).forEach(events::add);
        return events;
    }

    /** The Deployment a ReplicaSet belongs to, by the controller's naming: {@code <deployment>-<pod-template-hash>}. */
    private static String ownerOf(String replicaSet) {
        int dash = replicaSet.lastIndexOf('-');
        return dash < 0 ? replicaSet : replicaSet.substring(0, dash);
    }

    private static String line(String track, V1Deployment deployment) {
        int desired = Objects.requireNonNullElse(deployment.getSpec().getReplicas(), 0);
        return String.format("%-7s %-24s %-40s %d/%d ready", track, deployment.getMetadata().getName(),
                Tracks.image(deployment), ready(deployment), desired);
    }

    /** Ready pods decide the split: the Service selects both tracks by {@code app} alone. */
    static String bar(int stableReady, int canaryReady) {
        int total = stableReady + canaryReady;
        if (total == 0) {
            return "[" + " ".repeat(BAR_WIDTH) + "] no ready pods";
        }
        int canaryCells = (int) Math.round((double) BAR_WIDTH * canaryReady / total);
        long canaryPercent = Math.round(100.0 * canaryReady / total);
        return "[" + "#".repeat(BAR_WIDTH - canaryCells) + "=".repeat(canaryCells) + "] stable "
                + (100 - canaryPercent) + "% (#) / canary " + canaryPercent + "% (=)";
    }

    private static int ready(V1Deployment deployment) {
        return deployment.getStatus() == null ? 0
                : Objects.requireNonNullElse(deployment.getStatus().getReadyReplicas(), 0);
    }

    private static List<String> lastEvents(List<CoreV1Event> events) {
        OffsetDateTime now = OffsetDateTime.now();
        Stream<CoreV1Event> sorted = events.stream().sorted((a, b) -> time(a).compareTo(time(b)));
        List<CoreV1Event> all = sorted.toList();
        return all.subList(Math.max(0, all.size() - EVENTS), all.size()).stream()
                .map(e -> String.format("%5s  %-7s %-18s %s", age(now, time(e)), e.getType(), e.getReason(),
                        e.getMessage()))
                .toList();
    }

    private static OffsetDateTime time(CoreV1Event event) {
        return Stream.of(event.getLastTimestamp(), event.getEventTime(), event.getFirstTimestamp())
                .filter(Objects::nonNull).findFirst().orElse(OffsetDateTime.MIN);
    }

    private static String age(OffsetDateTime now, OffsetDateTime then) {
        if (then.equals(OffsetDateTime.MIN)) {
            return "?";
        }
        Duration age = Duration.between(then, now);
        return age.toHours() > 0 ? age.toHours() + "h" : age.toMinutes() > 0 ? age.toMinutes() + "m" : age.toSeconds() + "s";
    }
}
