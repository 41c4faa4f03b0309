package io.microcanary.deployer.emulation;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * The defaults the API server fills into a Deployment it stores (the apps/v1 and core/v1 defaulting functions), so
 * that what the harness reads back has the fields a real server returns and an apply configuration derived from it
 * is tested with them.
 */
final class Defaults {

    private Defaults() {
    }

    static void fill(JsonObject deployment) {
        JsonObject spec = object(deployment, "spec");
        put(spec, "replicas", 1);
        put(spec, "revisionHistoryLimit", 10);
        put(spec, "progressDeadlineSeconds", 600);
        JsonObject strategy = object(spec, "strategy");
        put(strategy, "type", "RollingUpdate");
        if ("RollingUpdate".equals(strategy.get("type").getAsString())) {
            JsonObject rolling = object(strategy, "rollingUpdate");
            put(rolling, "maxUnavailable", "25%");
            put(rolling, "maxSurge", "25%");
        }
        JsonObject templateMetadata = object(object(spec, "template"), "metadata");
        if (!templateMetadata.has("creationTimestamp")) {
            // what a real server returns in every pod template: an apply configuration must not send it back
            templateMetadata.add("creationTimestamp", com.google.gson.JsonNull.INSTANCE);
        }
        JsonObject pod = object(object(spec, "template"), "spec");
        put(pod, "restartPolicy", "Always");
        put(pod, "terminationGracePeriodSeconds", 30);
        put(pod, "dnsPolicy", "ClusterFirst");
        put(pod, "schedulerName", "default-scheduler");
        object(pod, "securityContext");
        if (pod.has("containers")) {
            for (JsonElement container : pod.getAsJsonArray("containers")) {
                container(container.getAsJsonObject());
            }
        }
    }

    private static void container(JsonObject container) {
        put(container, "terminationMessagePath", "/dev/termination-log");
        put(container, "terminationMessagePolicy", "File");
        String image = container.has("image") ? container.get("image").getAsString() : "";
        put(container, "imagePullPolicy", image.endsWith(":latest") || !image.contains(":") ? "Always" : "IfNotPresent");
        if (container.has("ports")) {
            for (JsonElement port : container.getAsJsonArray("ports")) {
                put(port.getAsJsonObject(), "protocol", "TCP");
            }
        }
        for (String probe : new String[]{"readinessProbe", "livenessProbe", "startupProbe"}) {
            if (container.has(probe)) {
                JsonObject settings = container.getAsJsonObject(probe);
                put(settings, "timeoutSeconds", 1);
                put(settings, "periodSeconds", 10);
                put(settings, "successThreshold", 1);
                put(settings, "failureThreshold", 3);
                if (settings.has("httpGet")) {
                    put(settings.getAsJsonObject("httpGet"), "scheme", "HTTP");
                }
            }
        }
    }

    private static JsonObject object(JsonObject parent, String field) {
        if (!parent.has(field) || !parent.get(field).isJsonObject()) {
            parent.add(field, new JsonObject());
        }
        return parent.getAsJsonObject(field);
    }

    private static void put(JsonObject object, String field, Object value) {
        if (!object.has(field) || object.get(field).isJsonNull()) {
            if (value instanceof Number number) {
                object.addProperty(field, number);
            } else {
                object.addProperty(field, (String) value);
            }
        }
    }
}
