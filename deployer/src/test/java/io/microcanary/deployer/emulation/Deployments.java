package io.microcanary.deployer.emulation;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/** Stable Deployments as the project's manifests define them, trimmed to what the harness reads. */
public final class Deployments {

    private Deployments() {
    }

    public static JsonObject stable(String service, String image, int replicas, int port) {
        return JsonParser.parseString("""
                {"apiVersion":"apps/v1","kind":"Deployment",
                 "metadata":{"name":"%1$s","labels":{"app":"%1$s","track":"stable","version":"0.1.0"}},
                 "spec":{"replicas":%3$d,
                   "selector":{"matchLabels":{"app":"%1$s","track":"stable"}},
                   "template":{"metadata":{"labels":{"app":"%1$s","track":"stable","version":"0.1.0"}},
                     "spec":{"containers":[{"name":"app","image":"%2$s","ports":[{"name":"http","containerPort":%4$d}]}]}}}}
                """.formatted(service, image, replicas, port)).getAsJsonObject();
    }

    /** A canary of {@code service} as the harness starts one, already there. */
    public static JsonObject canary(String service, String image, int replicas, int port) {
        return JsonParser.parseString("""
                {"apiVersion":"apps/v1","kind":"Deployment",
                 "metadata":{"name":"%1$s-canary","labels":{"app":"%1$s","track":"canary","version":"canary"},
                   "annotations":{"micro-canary.io/canary-of":"%1$s","micro-canary.io/stable-replicas":"%3$d"}},
                 "spec":{"replicas":%3$d,
                   "selector":{"matchLabels":{"app":"%1$s","track":"canary"}},
                   "template":{"metadata":{"labels":{"app":"%1$s","track":"canary","version":"canary"}},
                     "spec":{"containers":[{"name":"app","image":"%2$s","ports":[{"name":"http","containerPort":%4$d}]}]}}}}
                """.formatted(service, image, replicas, port)).getAsJsonObject();
    }
}
