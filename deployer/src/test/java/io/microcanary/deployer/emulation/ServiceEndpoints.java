package io.microcanary.deployer.emulation;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * The endpoints controller's view of a Service: every pod its selector matches that has an address, ready ones under
 * {@code addresses} and the others under {@code notReadyAddresses}, with each Service port's target port resolved
 * (a name is looked up in the pod's container ports; a pod without it is left out, as upstream does). And the API
 * server's service proxy, which picks a random ready address of the port named in the URL.
 */
final class ServiceEndpoints {

    private static final Random RANDOM = new Random();

    private ServiceEndpoints() {
    }

    /** The Endpoints object the controller keeps for {@code service}, given the namespace's pods. */
    static JsonObject of(JsonObject service, Collection<FakePod> pods) {
        JsonObject endpoints = new JsonObject();
        endpoints.addProperty("apiVersion", "v1");
        endpoints.addProperty("kind", "Endpoints");
        JsonObject meta = new JsonObject();
        JsonObject serviceMeta = FakeKubernetes.metadata(service);
        meta.addProperty("name", serviceMeta.get("name").getAsString());
        meta.addProperty("namespace", FakeKubernetes.NAMESPACE);
        if (serviceMeta.has("labels")) {
            meta.add("labels", serviceMeta.get("labels").deepCopy());
        }
        endpoints.add("metadata", meta);
        JsonObject selector = service.getAsJsonObject("spec").getAsJsonObject("selector");
        JsonArray ports = service.getAsJsonObject("spec").getAsJsonArray("ports");
        JsonArray ready = new JsonArray();
        JsonArray notReady = new JsonArray();
        JsonArray subsetPorts = null;
        for (FakePod pod : pods) {
            if (selector == null || !selects(selector, pod.labels()) || !pod.hasIp()) {
                continue;
            }
            Optional<JsonArray> resolved = resolve(ports, pod);
            if (resolved.isEmpty()) {
                continue;
            }
            subsetPorts = resolved.get();
            (pod.ready() ? ready : notReady).add(address(pod));
        }
        if (subsetPorts != null) {
            JsonObject subset = new JsonObject();
            if (!ready.isEmpty()) {
                subset.add("addresses", ready);
            }
            if (!notReady.isEmpty()) {
                subset.add("notReadyAddresses", notReady);
            }
            subset.add("ports", subsetPorts);
            JsonArray subsets = new JsonArray();
            subsets.add(subset);
            endpoints.add("subsets", subsets);
        }
        return endpoints;
    }

    /**
     * The pod the service proxy sends a request for {@code port} (the name after the colon in
     * {@code services/<name>:<port>/proxy}, empty for none) to: a random ready address whose port has that name.
     */
    static Optional<String> pick(JsonObject endpoints, String port) {
        List<String> candidates = new ArrayList<>();
        if (endpoints.has("subsets")) {
            for (JsonElement element : endpoints.getAsJsonArray("subsets")) {
                JsonObject subset = element.getAsJsonObject();
                boolean hasPort = false;
                for (JsonElement p : subset.getAsJsonArray("ports")) {
                    JsonElement name = p.getAsJsonObject().get("name");
                    hasPort |= (name == null ? "" : name.getAsString()).equals(port);
                }
                if (hasPort && subset.has("addresses")) {
                    subset.getAsJsonArray("addresses").forEach(a -> candidates.add(a.getAsJsonObject()
                            .getAsJsonObject("targetRef").get("name").getAsString()));
                }
            }
        }
        return candidates.isEmpty() ? Optional.empty() : Optional.of(candidates.get(RANDOM.nextInt(candidates.size())));
    }

    private static boolean selects(JsonObject selector, JsonObject labels) {
        return selector.entrySet().stream().allMatch(e -> labels != null && e.getValue().equals(labels.get(e.getKey())));
    }

    private static Optional<JsonArray> resolve(JsonArray servicePorts, FakePod pod) {
        JsonArray resolved = new JsonArray();
        for (JsonElement element : servicePorts) {
            JsonObject servicePort = element.getAsJsonObject();
            JsonElement target = servicePort.has("targetPort") ? servicePort.get("targetPort") : servicePort.get("port");
            Integer number = null;
            if (target.getAsJsonPrimitive().isNumber()) {
                number = target.getAsInt();
            } else {
                for (JsonElement c : pod.containerPorts()) {
                    JsonObject containerPort = c.getAsJsonObject();
                    if (containerPort.has("name") && containerPort.get("name").getAsString().equals(target.getAsString())) {
                        number = containerPort.get("containerPort").getAsInt();
                    }
                }
            }
            if (number == null) {
                return Optional.empty();
            }
            JsonObject port = new JsonObject();
            if (servicePort.has("name")) {
                port.add("name", servicePort.get("name"));
            }
            port.addProperty("port", number);
            port.addProperty("protocol", servicePort.has("protocol") ? servicePort.get("protocol").getAsString() : "TCP");
            resolved.add(port);
        }
        return Optional.of(resolved);
    }

    private static JsonObject address(FakePod pod) {
        JsonObject address = new JsonObject();
        address.addProperty("ip", pod.ip());
        address.addProperty("nodeName", "minikube");
        JsonObject ref = new JsonObject();
        ref.addProperty("kind", "Pod");
        ref.addProperty("namespace", FakeKubernetes.NAMESPACE);
        ref.addProperty("name", pod.name());
        address.add("targetRef", ref);
        return address;
    }
}
