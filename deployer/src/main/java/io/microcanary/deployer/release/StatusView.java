package io.microcanary.deployer.release;

import io.kubernetes.client.openapi.models.CoreV1Event;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.microcanary.deployer.cluster.Cluster;
import io.microcanary.deployer.rollout.RolloutStatus;
import io.microcanary.deployer.rollout.Ticker;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
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
    private static final int EVENTS = 8;

    private final Cluster cluster;
    private final Ticker ticker;

    public StatusView(Cluster cluster, Ticker ticker) {
        this.cluster = cluster;
        this.ticker = ticker;
    }

    public String render(List<String> services) {
        StringBuilder out = new StringBuilder();
        for (String service : services) {
            out.append(render(service)).append('\n');
        }
        return out.toString();
    }

    public String render(String service) {
        return tree(status(service), ticker.now().atOffset(ZoneOffset.UTC));
    }

    /** What is known of one service, for the tree or for {@code -o json|yaml}. */
    public ReleaseStatus status(String service) {
        Optional<V1Deployment> stable = cluster.deployment(service);
        if (stable.isEmpty()) {
            return new ReleaseStatus(service, cluster.namespace(), null, null, null, List.of());
        }
        Optional<V1Deployment> canary = cluster.deployment(Tracks.canaryName(service));
        int stableReady = ready(stable.get());
        int canaryReady = canary.map(StatusView::ready).orElse(0);
        Integer canaryPercent = stableReady + canaryReady == 0 ? null
                : (int) Math.round(100.0 * canaryReady / (stableReady + canaryReady));
        List<ReleaseStatus.Event> events = lastEvents(eventsOf(service)).stream()
                .map(e -> new ReleaseStatus.Event(time(e).equals(OffsetDateTime.MIN) ? null : time(e).toString(),
                        e.getType(), e.getReason(), e.getInvolvedObject().getKind() + "/" + e.getInvolvedObject().getName(),
                        e.getMessage()))
                .toList();
        return new ReleaseStatus(service, cluster.namespace(), track(stable.get()), canary.map(StatusView::track)
                .orElse(null), canaryPercent, events);
    }

    static String tree(ReleaseStatus status, OffsetDateTime now) {
        StringBuilder out = new StringBuilder();
        out.append(status.service()).append("  (namespace ").append(status.namespace()).append(")\n");
        if (!status.deployed()) {
            return out.append("└─ not deployed\n").toString();
        }
        out.append("├─ ").append(line("stable", status.stable())).append('\n');
        out.append(status.canary() == null ? "├─ canary  none" : "├─ " + line("canary", status.canary())).append('\n');
        out.append("└─ traffic ").append(bar(status.canaryPercent())).append('\n');
        if (!status.events().isEmpty()) {
            out.append("   events:\n");
            status.events().forEach(e -> out.append("     ").append(String.format("%5s  %-7s %-18s %s",
                    e.time() == null ? "?" : age(now, OffsetDateTime.parse(e.time())), e.type(), e.reason(),
                    e.message())).append('\n'));
        }
        return out.toString();
    }

    private static ReleaseStatus.Track track(V1Deployment deployment) {
        return new ReleaseStatus.Track(deployment.getMetadata().getName(), Tracks.image(deployment), ready(deployment),
                Objects.requireNonNullElse(deployment.getSpec().getReplicas(), 0));
    }

    /** True when nothing of the service is moving: no canary, and stable rolled out. */
    public boolean settled(String service) {
        Optional<V1Deployment> stable = cluster.deployment(service);
        return cluster.deployment(Tracks.canaryName(service)).isEmpty()
                && stable.map(d -> RolloutStatus.of(d).done()).orElse(true);
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

    private static String line(String track, ReleaseStatus.Track deployment) {
        return String.format("%-7s %-24s %-40s %d/%d ready", track, deployment.deployment(), deployment.image(),
                deployment.ready(), deployment.desired());
    }

    /** Ready pods decide the split: the Service selects both tracks by {@code app} alone. */
    static String bar(Integer canaryPercent) {
        if (canaryPercent == null) {
            return "[" + " ".repeat(BAR_WIDTH) + "] no ready pods";
        }
        int canaryCells = (int) Math.round(BAR_WIDTH * canaryPercent / 100.0);
        return "[" + "#".repeat(BAR_WIDTH - canaryCells) + "=".repeat(canaryCells) + "] stable "
                + (100 - canaryPercent) + "% (#) / canary " + canaryPercent + "% (=)";
    }

    private static int ready(V1Deployment deployment) {
        return deployment.getStatus() == null ? 0
                : Objects.requireNonNullElse(deployment.getStatus().getReadyReplicas(), 0);
    }

    private static List<CoreV1Event> lastEvents(List<CoreV1Event> events) {
        List<CoreV1Event> all = events.stream().sorted((a, b) -> time(a).compareTo(time(b))).toList();
        return all.subList(Math.max(0, all.size() - EVENTS), all.size());
    }

    private static OffsetDateTime time(CoreV1Event event) {
        return Stream.of(event.getLastTimestamp(), event.getEventTime(), event.getFirstTimestamp())
                .filter(Objects::nonNull).findFirst().orElse(OffsetDateTime.MIN);
    }

    private static String age(OffsetDateTime now, OffsetDateTime then) {
        Duration age = Duration.between(then, now);
        return age.toHours() > 0 ? age.toHours() + "h" : age.toMinutes() > 0 ? age.toMinutes() + "m" : age.toSeconds() + "s";
    }
}
