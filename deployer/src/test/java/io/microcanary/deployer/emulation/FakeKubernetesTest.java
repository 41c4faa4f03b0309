package io.microcanary.deployer.emulation;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1DeploymentSpec;
import io.kubernetes.client.openapi.models.V1LabelSelector;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1PodTemplateSpec;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import static io.microcanary.deployer.emulation.Deployments.stable;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The emulated API server keeps the real one's rules that the harness has met on real clusters: its schema, field
 * ownership under server-side apply, the deployment controller's annotation copying, and its error texts. Each test
 * here is a rule whose absence once let a harness defect through.
 */
class FakeKubernetesTest {

    private static final MediaType APPLY = MediaType.get("application/apply-patch+yaml");
    private static final MediaType MERGE = MediaType.get("application/merge-patch+json");

    private final OkHttpClient http = new OkHttpClient();
    private FakeKubernetes k8s;
    private String deployments;

    @BeforeEach
    void start() throws IOException {
        k8s = new FakeKubernetes();
        deployments = k8s.baseUrl() + "/apis/apps/v1/namespaces/micro-canary/deployments/";
    }

    @AfterEach
    void stop() throws IOException {
        k8s.close();
    }

    @Test
    void aWholeSerialisedClientModelIsRefusedForFieldsTheOldestSupportedKubernetesLacks() throws IOException {
        // what the harness sent before: the client's newest model, with every list it knows present and empty
        V1Deployment model = new V1Deployment().apiVersion("apps/v1").kind("Deployment")
                .metadata(new V1ObjectMeta().name("addressbook").labels(Map.of("app", "addressbook")))
                .spec(new V1DeploymentSpec().replicas(1)
                        .selector(new V1LabelSelector().matchLabels(Map.of("app", "addressbook")))
                        .template(new V1PodTemplateSpec().metadata(new V1ObjectMeta().labels(Map.of("app", "addressbook")))
                                .spec(new V1PodSpec().containers(List.of(new V1Container().name("app").image("x:1"))))));
        String body = k8s.client().getJSON().serialize(model);

        Answer answer = send(new Request.Builder().url(deployments + "addressbook?fieldManager=test")
                .patch(RequestBody.create(body, APPLY)).build());

        assertEquals(500, answer.code(), answer.body());
        assertTrue(answer.body().matches(".*failed to create typed patch object \\(micro-canary/addressbook; apps/v1, "
                + "Kind=Deployment\\): \\.spec\\.template\\.spec\\.[^ ]+: field not declared in schema.*"), answer.body());
        assertNull(k8s.deployment("addressbook"), "nothing was created");
    }

    @Test
    void fieldsOfTheOldestSupportedKubernetesAreAccepted() throws IOException {
        JsonObject body = stable("addressbook", "x:1", 1, 3000);
        body.getAsJsonObject("spec").getAsJsonObject("template").getAsJsonObject("spec")
                .add("schedulingGates", JsonParser.parseString("[{\"name\":\"gate\"}]"));

        Answer answer = apply("addressbook", body.toString(), "test", false);

        assertEquals(201, answer.code(), answer.body());
    }

    @Test
    void anApplyRemovesWhatTheSameManagerAppliedBeforeButNotWhatAnUpdateSet() throws IOException {
        JsonObject first = stable("addressbook", "x:1", 1, 3000);
        first.getAsJsonObject("metadata").add("annotations", JsonParser.parseString("{\"applied\":\"yes\"}"));
        assertEquals(201, apply("addressbook", first.toString(), "micro-canary", true).code());
        assertEquals(200, send(new Request.Builder().url(deployments + "addressbook?fieldManager=micro-canary")
                .patch(RequestBody.create("{\"metadata\":{\"annotations\":{\"patched\":\"yes\"}}}", MERGE)).build()).code());

        JsonObject second = stable("addressbook", "x:1", 1, 3000);
        assertEquals(200, apply("addressbook", second.toString(), "micro-canary", true).code());

        JsonObject annotations = k8s.deployment("addressbook").getAsJsonObject("metadata").getAsJsonObject("annotations");
        assertFalse(annotations.has("applied"), "no longer applied, owned by no one else: removed " + annotations);
        assertEquals("yes", annotations.get("patched").getAsString(), "set by an update (a merge patch): kept");
        assertEquals(List.of("micro-canary/Update"), k8s.owners("addressbook", ".metadata.annotations.patched"));
    }

    @Test
    void anApplyThatTakesAFieldFromAnotherManagerConflictsUnlessForced() throws IOException {
        k8s.givenDeployment(stable("addressbook", "x:1", 3, 3000));
        String body = stable("addressbook", "x:1", 4, 3000).toString();

        Answer refused = apply("addressbook", body, "micro-canary", false);
        assertEquals(409, refused.code(), refused.body());
        assertTrue(refused.body().contains("Apply failed with 1 conflict: conflict with \\\"kubectl-client-side-apply\\\" "
                + "using apps/v1: .spec.replicas"), refused.body());
        assertEquals(3, k8s.replicas("addressbook"));

        assertEquals(200, apply("addressbook", body, "micro-canary", true).code());
        assertEquals(4, k8s.replicas("addressbook"));
        assertEquals(List.of("micro-canary/Apply"), k8s.owners("addressbook", ".spec.replicas"));
    }

    @Test
    void anApplyOfManagedFieldsOrAnotherNameIsABadRequest() throws IOException {
        JsonObject withManagedFields = stable("addressbook", "x:1", 1, 3000);
        withManagedFields.getAsJsonObject("metadata").add("managedFields", JsonParser.parseString("[]"));
        Answer managed = apply("addressbook", withManagedFields.toString(), "test", true);
        assertEquals(400, managed.code());
        assertTrue(managed.body().contains("metadata.managedFields must be nil"), managed.body());

        Answer renamed = apply("other", stable("addressbook", "x:1", 1, 3000).toString(), "test", true);
        assertEquals(400, renamed.code());
        assertTrue(renamed.body().contains("the name of the object (addressbook) does not match the name on the URL (other)"),
                renamed.body());
    }

    @Test
    void theControllerCopiesAnnotationsIntoTheReplicaSetAndRolloutUndoCopiesThemBack() throws IOException {
        k8s.givenDeployment(stable("addressbook", "x:1", 3, 3000));
        mergePatch("addressbook", "{\"metadata\":{\"annotations\":{\"release\":\"running\"}}}");
        mergePatch("addressbook", "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"app\",\"image\":\"x:2\"}]}}}}");
        mergePatch("addressbook", "{\"metadata\":{\"annotations\":{\"release\":null}}}");
        k8s.deployment("addressbook"); // one more controller step after the last change
        send(new Request.Builder().url(deployments + "addressbook").build());

        List<JsonObject> replicaSets = k8s.replicaSets("addressbook");
        assertEquals(2, replicaSets.size());
        assertEquals("running", replicaSets.get(0).getAsJsonObject("metadata").getAsJsonObject("annotations")
                .get("release").getAsString(), "the first revision kept what the Deployment had");
        assertEquals("running", replicaSets.get(1).getAsJsonObject("metadata").getAsJsonObject("annotations")
                .get("release").getAsString(), "a copied annotation is never removed from the ReplicaSet");

        new Kubectl(k8s).rolloutUndo("addressbook");

        assertEquals("x:1", k8s.image("addressbook"));
        assertEquals("running", k8s.deployment("addressbook").getAsJsonObject("metadata").getAsJsonObject("annotations")
                .get("release").getAsString(), "rollout undo brought the annotation back");
    }

    @Test
    void foregroundDeletionLastsUntilThePodsAreGone() throws IOException {
        k8s.givenDeployment(stable("addressbook", "x:1", 2, 3000));

        Answer deleting = send(new Request.Builder().url(deployments + "addressbook?propagationPolicy=Foreground")
                .delete().build());

        assertEquals(200, deleting.code());
        assertTrue(deleting.body().contains("deletionTimestamp"), deleting.body());
        assertEquals(200, send(new Request.Builder().url(deployments + "addressbook").build()).code(),
                "still there while its pods terminate");
        assertEquals(404, send(new Request.Builder().url(deployments + "addressbook").build()).code());
    }

    @Test
    void eventsFilterByTheFieldsTheServerSupportsAndRefuseOthers() throws IOException {
        k8s.givenDeployment(stable("addressbook", "x:1", 1, 3000));
        String events = k8s.baseUrl() + "/api/v1/namespaces/micro-canary/events?fieldSelector=";

        Answer pods = send(new Request.Builder().url(events + "involvedObject.kind=Pod").build());
        assertTrue(pods.body().contains("\"kind\":\"Pod\"") && !pods.body().contains("\"kind\":\"Deployment\""),
                pods.body());
        Answer refused = send(new Request.Builder().url(events + "involvedObject.labels=x").build());
        assertEquals(400, refused.code());
        assertTrue(refused.body().contains("field label not supported: involvedObject.labels"), refused.body());
    }

    @Test
    void endpointsListTheSelectedPodsByReadinessAndTheServiceProxySendsOnlyToReadyOnes() throws IOException {
        k8s.givenDeployment(stable("addressbook", "x:1", 2, 3000));
        k8s.givenService(JsonParser.parseString("""
                {"apiVersion":"v1","kind":"Service","metadata":{"name":"addressbook","labels":{"app":"addressbook"}},
                 "spec":{"selector":{"app":"addressbook"},"ports":[{"name":"http","port":80,"targetPort":"http"}]}}
                """).getAsJsonObject());
        String unready = k8s.podNames().get(0);
        String ready = k8s.podNames().get(1);
        k8s.readinessProbe(pod -> !pod.equals(unready));
        k8s.podHttp(request -> new FakeKubernetes.PodResponse(200, Map.of("X-Served-By", request.pod()),
                request.method() + " " + request.path() + "?" + request.query() + " " + request.headers().get("Accept")));
        String api = k8s.baseUrl() + "/api/v1/namespaces/micro-canary/";

        JsonObject subset = JsonParser.parseString(send(new Request.Builder().url(api + "endpoints/addressbook").build())
                .body()).getAsJsonObject().getAsJsonArray("subsets").get(0).getAsJsonObject();
        assertEquals(ready, subset.getAsJsonArray("addresses").get(0).getAsJsonObject().getAsJsonObject("targetRef")
                .get("name").getAsString());
        assertEquals(unready, subset.getAsJsonArray("notReadyAddresses").get(0).getAsJsonObject()
                .getAsJsonObject("targetRef").get("name").getAsString());
        assertEquals("{\"name\":\"http\",\"port\":3000,\"protocol\":\"TCP\"}", subset.getAsJsonArray("ports").get(0).toString());
        for (int i = 0; i < 10; i++) {
            try (var response = http.newCall(new Request.Builder().url(api + "services/addressbook:http/proxy/all?x=1")
                    .header("Accept", "application/json").build()).execute()) {
                assertEquals(ready, response.header("X-Served-By"));
                assertEquals("GET /all?x=1 application/json", response.body().string());
            }
        }
        // the proxy matches the port by name: an unnamed request finds no port called ""
        Answer unnamed = send(new Request.Builder().url(api + "services/addressbook/proxy/all").build());
        assertEquals(503, unnamed.code());
        assertTrue(unnamed.body().contains("no endpoints available for service \\\"addressbook\\\""), unnamed.body());
        k8s.readinessProbe(pod -> false);
        Answer none = send(new Request.Builder().url(api + "services/addressbook:http/proxy/all").build());
        assertEquals(503, none.code(), none.body());
        assertFalse(k8s.endpoints("addressbook").getAsJsonArray("subsets").get(0).getAsJsonObject().has("addresses"));
        assertEquals(404, send(new Request.Builder().url(api + "endpoints/nothing").build()).code());
    }

    private Answer apply(String name, String body, String manager, boolean force) throws IOException {
        return send(new Request.Builder().url(deployments + name + "?fieldManager=" + manager + (force ? "&force=true" : ""))
                .patch(RequestBody.create(body, APPLY)).build());
    }

    private void mergePatch(String name, String body) throws IOException {
        Answer answer = send(new Request.Builder().url(deployments + name + "?fieldManager=kubectl-edit")
                .patch(RequestBody.create(body, MERGE)).build());
        assertEquals(200, answer.code(), answer.body());
    }

    private Answer send(Request request) throws IOException {
        try (var response = http.newCall(request).execute()) {
            return new Answer(response.code(), response.body().string());
        }
    }

    private record Answer(int code, String body) {
    }
}
