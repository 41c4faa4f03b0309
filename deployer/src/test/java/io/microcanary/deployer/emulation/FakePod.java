package io.microcanary.deployer.emulation;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** A pod of the emulated cluster: it goes through its {@link Behaviour} one step per controller tick. */
final class FakePod {

    private final String name;
    private final String owner;
    private final String template;
    private final JsonObject templateJson;
    private final Behaviour behaviour;
    private final String started = OffsetDateTime.now(ZoneOffset.UTC).withNano(0).toString();
    private int ticks;

    FakePod(String name, String owner, String template, JsonObject deployment, Behaviour behaviour) {
        this.name = name;
        this.owner = owner;
        this.template = template;
        this.templateJson = deployment.getAsJsonObject("spec").getAsJsonObject("template").deepCopy();
        this.behaviour = behaviour;
    }

    String name() {
        return name;
    }

    String owner() {
        return owner;
    }

    String template() {
        return template;
    }

    void tick() {
        ticks++;
    }

    boolean ready() {
        return behaviour == Behaviour.HEALTHY && ticks >= 2;
    }

    String log() {
        return switch (behaviour) {
            case CRASH_LOOP -> "Starting " + owner + "\nException in thread \"main\" java.lang.IllegalStateException: "
                    + "DB_PASSWORD is not set\n";
            case NEVER_READY -> "Starting " + owner + "\nreadiness: database not reachable\n";
            default -> "Starting " + owner + "\nStartup completed\n";
        };
    }

    JsonObject json() {
        JsonObject pod = new JsonObject();
        pod.addProperty("apiVersion", "v1");
        pod.addProperty("kind", "Pod");
        JsonObject metadata = new JsonObject();
        metadata.addProperty("name", name);
        metadata.addProperty("namespace", FakeKubernetes.NAMESPACE);
        metadata.add("labels", templateJson.getAsJsonObject("metadata").getAsJsonObject("labels").deepCopy());
        pod.add("metadata", metadata);
        pod.add("spec", templateJson.getAsJsonObject("spec").deepCopy());
        pod.add("status", status());
        return pod;
    }

    private JsonObject status() {
        JsonObject status = new JsonObject();
        boolean started = ticks >= 1;
        boolean running = started && behaviour != Behaviour.IMAGE_PULL_FAILURE;
        status.addProperty("phase", running ? "Running" : "Pending");
        if (started) {
            status.addProperty("startTime", this.started);
        }
        JsonArray conditions = new JsonArray();
        conditions.add(condition("PodScheduled", true));
        conditions.add(condition("Ready", ready()));
        status.add("conditions", conditions);
        JsonObject container = new JsonObject();
        container.addProperty("name", "app");
        container.addProperty("ready", ready());
        container.addProperty("imageID", "");
        container.addProperty("restartCount", behaviour == Behaviour.CRASH_LOOP ? ticks : 0);
        container.addProperty("image", templateJson.getAsJsonObject("spec").getAsJsonArray("containers").get(0)
                .getAsJsonObject().get("image").getAsString());
        container.add("state", state(started));
        JsonArray containers = new JsonArray();
        containers.add(container);
        status.add("containerStatuses", containers);
        return status;
    }

    private JsonObject state(boolean started) {
        JsonObject state = new JsonObject();
        if (!started) {
            state.add("waiting", waiting("ContainerCreating", null));
        } else if (behaviour == Behaviour.CRASH_LOOP) {
            state.add("waiting", waiting("CrashLoopBackOff", "back-off 10s restarting failed container=app pod=" + name));
        } else if (behaviour == Behaviour.IMAGE_PULL_FAILURE) {
            state.add("waiting", waiting(ticks < 3 ? "ErrImagePull" : "ImagePullBackOff",
                    "Back-off pulling image: not found"));
        } else {
            JsonObject running = new JsonObject();
            running.addProperty("startedAt", this.started);
            state.add("running", running);
        }
        return state;
    }

    private static JsonObject waiting(String reason, String message) {
        JsonObject waiting = new JsonObject();
        waiting.addProperty("reason", reason);
        if (message != null) {
            waiting.addProperty("message", message);
        }
        return waiting;
    }

    private static JsonObject condition(String type, boolean value) {
        JsonObject condition = new JsonObject();
        condition.addProperty("type", type);
        condition.addProperty("status", value ? "True" : "False");
        return condition;
    }
}
