package io.microcanary.deployer.emulation;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import java.util.Arrays;
import java.util.Optional;

/** A pod of the emulated cluster: it goes through its {@link Behaviour} one step per controller tick. */
final class FakePod {

    private final String name;
    private final String owner;
    private final String template;
    private final JsonObject templateJson;
    private final Behaviour behaviour;
    private final String started;
    private int ticks;
    private String ip;
    private java.util.function.BooleanSupplier readinessProbe = () -> true;

    FakePod(String name, String owner, String template, JsonObject deployment, Behaviour behaviour, String started) {
        this.name = name;
        this.owner = owner;
        this.template = template;
        this.templateJson = deployment.getAsJsonObject("spec").getAsJsonObject("template").deepCopy();
        this.behaviour = behaviour;
        this.started = started;
    }

    /** The address the pod network gives it once its sandbox is up (the emulation hands out one per pod). */
    void ip(String ip) {
        this.ip = ip;
    }

    String ip() {
        return ip;
    }

    /** What the kubelet's readiness probe finds, on top of the behaviour (a test may answer it from a real process). */
    void readinessProbe(java.util.function.BooleanSupplier probe) {
        this.readinessProbe = probe;
    }

    /** Whether the pod has its address: scheduled and its sandbox started, whatever its container does. */
    boolean hasIp() {
        return ticks >= 1 && behaviour != Behaviour.UNSCHEDULABLE && ip != null;
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

    /** An event the kubelet or scheduler would record about this pod at this step. */
    record Event(String type, String reason, String message) {
    }

    /** One step of the kubelet; what it would report about the pod then. */
    Optional<Event> tick() {
        ticks++;
        return switch (behaviour) {
            case HEALTHY -> ticks == 1 ? Optional.of(new Event("Normal", "Started", "Started container app"))
                    : Optional.empty();
            case CRASH_LOOP -> Optional.of(new Event("Warning", "BackOff", "Back-off restarting failed container app in pod "
                    + name + "_" + FakeKubernetes.NAMESPACE));
            case IMAGE_PULL_FAILURE -> Optional.of(new Event("Warning", "Failed", "Failed to pull image \"" + image()
                    + "\": rpc error: code = NotFound desc = failed to pull and unpack image: not found"));
            case NEVER_READY -> ticks > 1 ? Optional.of(new Event("Warning", "Unhealthy",
                    "Readiness probe failed: HTTP probe failed with statuscode: 503")) : Optional.empty();
            case UNSCHEDULABLE -> Optional.of(new Event("Warning", "FailedScheduling",
                    "0/1 nodes are available: 1 Insufficient memory. preemption: 0/1 nodes are available: "
                            + "1 No preemption victims found for incoming pod."));
        };
    }

    boolean ready() {
        return behaviour == Behaviour.HEALTHY && ticks >= 2 && readinessProbe.getAsBoolean();
    }

    /** The pod's labels, as its template gave them. */
    JsonObject labels() {
        return templateJson.getAsJsonObject("metadata").getAsJsonObject("labels");
    }

    /** The ports of its first container. */
    JsonArray containerPorts() {
        JsonObject container = templateJson.getAsJsonObject("spec").getAsJsonArray("containers").get(0).getAsJsonObject();
        return container.has("ports") ? container.getAsJsonArray("ports") : new JsonArray();
    }

    /** The last {@code lines} lines of the container's log, as {@code tailLines} gives them. */
    String log(int lines) {
        String[] all = log().split("\n");
        return String.join("\n", Arrays.copyOfRange(all, Math.max(0, all.length - lines), all.length)) + "\n";
    }

    /**
     * What each kind of pod writes. A crashing JVM ends its log with a long stack trace whose cause is well above
     * the last ten lines, as addressbook's does when its database refuses the password.
     */
    private String log() {
        return switch (behaviour) {
            case CRASH_LOOP -> "Starting " + owner + "\n"
                    + "ERROR i.m.runtime.Micronaut - Error starting Micronaut server: Bean definition "
                    + "[javax.sql.DataSource] could not be loaded\n"
                    + "io.micronaut.context.exceptions.BeanInstantiationException: Bean definition "
                    + "[javax.sql.DataSource] could not be loaded\n"
                    + frames(14, "io.micronaut.context.DefaultBeanContext")
                    + "Caused by: org.postgresql.util.PSQLException: FATAL: password authentication failed for user "
                    + "\"addressbook\"\n"
                    + frames(24, "org.postgresql.core.v3.ConnectionFactoryImpl");
            case NEVER_READY -> "Starting " + owner + "\nStartup completed in 1143ms\n"
                    + "WARN  i.m.health.HealthMonitor - readiness DOWN: database unreachable\n";
            default -> "Starting " + owner + "\nStartup completed in 1143ms\n";
        };
    }

    private static String frames(int count, String inClass) {
        StringBuilder frames = new StringBuilder();
        for (int i = 0; i < count; i++) {
            frames.append("\tat ").append(inClass).append(".step").append(i).append("(Source.java:").append(100 + i)
                    .append(")\n");
        }
        return frames.append("\t... 12 more\n").toString();
    }

    private String image() {
        return templateJson.getAsJsonObject("spec").getAsJsonArray("containers").get(0).getAsJsonObject()
                .get("image").getAsString();
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
        boolean scheduled = behaviour != Behaviour.UNSCHEDULABLE;
        boolean started = ticks >= 1 && scheduled;
        boolean running = started && behaviour != Behaviour.IMAGE_PULL_FAILURE;
        status.addProperty("phase", running ? "Running" : "Pending");
        if (started) {
            status.addProperty("startTime", this.started);
            if (ip != null) {
                status.addProperty("podIP", ip);
            }
        }
        JsonArray conditions = new JsonArray();
        JsonObject podScheduled = condition("PodScheduled", scheduled);
        if (!scheduled) {
            podScheduled.addProperty("reason", "Unschedulable");
            podScheduled.addProperty("message", "0/1 nodes are available: 1 Insufficient memory.");
            conditions.add(podScheduled);
            status.add("conditions", conditions);
            return status;
        }
        conditions.add(podScheduled);
        conditions.add(condition("Ready", ready()));
        status.add("conditions", conditions);
        JsonObject container = new JsonObject();
        container.addProperty("name", "app");
        container.addProperty("ready", ready());
        container.addProperty("imageID", "");
        container.addProperty("restartCount", behaviour == Behaviour.CRASH_LOOP ? ticks : 0);
        container.addProperty("image", image());
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
