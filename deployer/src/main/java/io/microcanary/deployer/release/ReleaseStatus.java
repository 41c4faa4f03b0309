package io.microcanary.deployer.release;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code canary status} knows of one service, in the tree view and in {@code -o json|yaml} alike: both tracks,
 * the traffic split by ready pods, the last events. The map form is the documented schema for scripts.
 */
public record ReleaseStatus(String service, String namespace, Track stable, Track canary, Integer canaryPercent,
                            List<Event> events) {

    /** One Deployment: its name, image, ready and desired pods. */
    public record Track(String deployment, String image, int ready, int desired) {
    }

    /** An event about the Deployments, their ReplicaSets or their pods. */
    public record Event(String time, String type, String reason, String object, String message) {
    }

    public boolean deployed() {
        return stable != null;
    }

    /** Keys in a fixed order; absent tracks are null so scripts can test for them. */
    public Map<String, Object> asMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("service", service);
        map.put("namespace", namespace);
        map.put("deployed", deployed());
        map.put("stable", track(stable));
        map.put("canary", track(canary));
        Map<String, Object> traffic = new LinkedHashMap<>();
        traffic.put("stablePercent", canaryPercent == null ? null : 100 - canaryPercent);
        traffic.put("canaryPercent", canaryPercent);
        map.put("traffic", traffic);
        map.put("events", events.stream().map(e -> {
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("time", e.time());
            event.put("type", e.type());
            event.put("reason", e.reason());
            event.put("object", e.object());
            event.put("message", e.message());
            return event;
        }).toList());
        return map;
    }

    private static Map<String, Object> track(Track track) {
        if (track == null) {
            return null;
        }
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("deployment", track.deployment());
        map.put("image", track.image());
        map.put("ready", track.ready());
        map.put("desired", track.desired());
        return map;
    }
}
