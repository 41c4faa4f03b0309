package io.microcanary.k8s;

import io.microcanary.testsupport.Checkout;

import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1SecretKeySelector;
import io.kubernetes.client.openapi.models.V1StatefulSet;
import io.kubernetes.client.openapi.models.V1Volume;
import io.kubernetes.client.util.Yaml;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Least privilege for the stores, on the rendered full minikube variant: every store requires credentials from a
 * generated Secret, every service logs in with them, addressbook serves as its app role and keeps the owner role for
 * migrations, nothing but the PostgreSQL StatefulSet sees the superuser, and no secret value is in the manifests.
 * (The real MongoDB and the cluster's PostgreSQL bootstrap cannot run here; redis's requirepass and the bootstrap's
 * SQL are exercised by service-support's StoreCredentialsTest and infrastructure's PostgresRolesScriptTest.)
 */
class StoreCredentialsPolicyTest {

    private static List<KubernetesObject> objects;

    @BeforeAll
    static void render() throws Exception {
        objects = Rendered.render("k8s/overlays/minikube-full");
    }

    @Test
    void redisRequiresThePasswordOfItsSecret() {
        V1Container redis = store("redis");
        V1SecretKeySelector password = secretRef(redis, "REDIS_PASSWORD");
        assertTrue(password.getName().startsWith("redis-"), password.getName());
        assertEquals("password", password.getKey());
        assertEquals(password, secretRef(redis, "REDISCLI_AUTH"), "the probe's redis-cli logs in with the same password");
        List<String> args = redis.getArgs();
        int flag = args.indexOf("--requirepass");
        assertTrue(flag >= 0 && "$(REDIS_PASSWORD)".equals(args.get(flag + 1)), "redis args: " + args);
    }

    @Test
    void mongoCreatesItsRootUserFromItsSecret() {
        V1Container mongo = store("mongo");
        V1SecretKeySelector user = secretRef(mongo, "MONGO_INITDB_ROOT_USERNAME");
        V1SecretKeySelector password = secretRef(mongo, "MONGO_INITDB_ROOT_PASSWORD");
        assertTrue(user.getName().startsWith("mongo-"), user.getName());
        assertEquals(List.of("username", "password"), List.of(user.getKey(), password.getKey()));
        assertEquals(user.getName(), password.getName());
    }

    @Test
    void everyServiceLogsInToTheStoresItUsesWithTheStoresSecrets() {
        V1SecretKeySelector redisPassword = secretRef(store("redis"), "REDIS_PASSWORD");
        V1SecretKeySelector mongoUser = secretRef(store("mongo"), "MONGO_INITDB_ROOT_USERNAME");
        V1SecretKeySelector mongoPassword = secretRef(store("mongo"), "MONGO_INITDB_ROOT_PASSWORD");
        List<String> checked = new ArrayList<>();
        for (V1Deployment deployment : all(V1Deployment.class)) {
            String name = deployment.getMetadata().getName();
            V1Container app = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
            if (env(app, "REDIS_URI").isPresent()) {
                assertEquals(redisPassword, secretRef(app, "REDIS_PASSWORD"), name);
                checked.add(name + " -> redis");
            }
            if (env(app, "MONGODB_URI").isPresent()) {
                assertEquals(mongoUser, secretRef(app, "MONGODB_USERNAME"), name);
                assertEquals(mongoPassword, secretRef(app, "MONGODB_PASSWORD"), name);
                checked.add(name + " -> mongo");
            }
        }
        assertEquals(List.of("auditservice -> mongo", "eventservice -> mongo", "eventservice -> redis", "webapp -> redis"),
                checked.stream().sorted().toList(), "the services that use Redis and MongoDB");
    }

    @Test
    void addressbookServesAsTheAppRoleAndMigratesAsTheOwnerNeverAsTheSuperuser() {
        V1Container addressbook = deployment("addressbook");
        V1SecretKeySelector user = secretRef(addressbook, "DB_USER");
        V1SecretKeySelector owner = secretRef(addressbook, "DB_OWNER_USER");
        assertTrue(user.getName().startsWith("addressbook-db-app-"), user.getName());
        assertTrue(owner.getName().startsWith("addressbook-db-owner-"), owner.getName());
        assertEquals(new V1SecretKeySelector().name(user.getName()).key("password"), secretRef(addressbook, "DB_PASSWORD"));
        assertEquals(new V1SecretKeySelector().name(owner.getName()).key("password"), secretRef(addressbook, "DB_OWNER_PASSWORD"));
        assertEquals("false", env(addressbook, "MIGRATE_ON_START").map(V1EnvVar::getValue).orElse(null),
                "the serving pod does not migrate: the owner role is used by `migrate` only");

        V1Container postgres = store("postgres");
        String superuser = secretRef(postgres, "POSTGRES_PASSWORD").getName();
        for (V1Deployment deployment : all(V1Deployment.class)) {
            for (V1EnvVar variable : Optional.ofNullable(deployment.getSpec().getTemplate().getSpec().getContainers().get(0)
                    .getEnv()).orElse(List.of())) {
                boolean fromSuperuser = variable.getValueFrom() != null && variable.getValueFrom().getSecretKeyRef() != null
                        && variable.getValueFrom().getSecretKeyRef().getName().equals(superuser);
                assertFalse(fromSuperuser, deployment.getMetadata().getName() + " reads the superuser's Secret in " + variable.getName());
            }
        }
        // the bootstrap gets both roles, from the same Secrets the service reads
        assertEquals(owner, secretRef(postgres, "ADDRESSBOOK_OWNER_USER"));
        assertEquals(user, secretRef(postgres, "ADDRESSBOOK_APP_USER"));
        assertEquals(secretRef(addressbook, "DB_OWNER_PASSWORD"), secretRef(postgres, "ADDRESSBOOK_OWNER_PASSWORD"));
        assertEquals(secretRef(addressbook, "DB_PASSWORD"), secretRef(postgres, "ADDRESSBOOK_APP_PASSWORD"));
        assertNotEquals(user.getName(), owner.getName());
    }

    @Test
    void postgresRunsTheRolesBootstrapOnFirstStart() {
        V1StatefulSet postgres = all(V1StatefulSet.class).stream()
                .filter(s -> s.getMetadata().getName().equals("postgres")).findFirst().orElseThrow();
        V1Container container = postgres.getSpec().getTemplate().getSpec().getContainers().get(0);
        String volume = container.getVolumeMounts().stream()
                .filter(m -> m.getMountPath().equals("/docker-entrypoint-initdb.d")).findFirst()
                .orElseThrow(() -> new AssertionError("nothing mounted at /docker-entrypoint-initdb.d")).getName();
        V1Volume init = postgres.getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(v -> v.getName().equals(volume)).findFirst().orElseThrow();
        String configMap = init.getConfigMap().getName();
        assertTrue(configMap.startsWith("postgres-init-"), configMap);
        assertEquals(0555, init.getConfigMap().getDefaultMode(), "the entrypoint runs an executable script, not sources it");
        Map<String, String> data = objects.stream().filter(o -> o.getMetadata().getName().equals(configMap))
                .map(o -> ((io.kubernetes.client.openapi.models.V1ConfigMap) o).getData()).findFirst().orElseThrow();
        assertEquals(List.of("addressbook-roles.sh"), List.copyOf(data.keySet()));
    }

    @Test
    void noGeneratedSecretValueAppearsInTheManifests() throws IOException {
        // the Secrets themselves carry the values, base64-encoded; every other object must not
        StringBuilder manifests = new StringBuilder();
        objects.stream().filter(o -> !(o instanceof io.kubernetes.client.openapi.models.V1Secret))
                .forEach(o -> manifests.append(Yaml.dump(o)).append("\n---\n"));
        List<String> values = new ArrayList<>();
        for (Path directory : List.of(Checkout.root().resolve("infrastructure/k8s/secrets"), Checkout.root().resolve("k8s/base/secrets"))) {
            try (Stream<Path> files = Files.list(directory)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".env")).toList()) {
                    Files.readAllLines(file).stream().filter(line -> line.contains("="))
                            .forEach(line -> values.add(line.substring(line.indexOf('=') + 1)));
                }
            }
        }
        assertTrue(values.size() >= 6, "the generated values: " + values.size());
        for (String value : values) {
            assertTrue(value.length() >= 32, "a generated secret is long and random");
            assertFalse(manifests.toString().contains(value), "a generated secret value is in plain text in the manifests");
        }
    }

    private static V1Container store(String name) {
        return all(V1StatefulSet.class).stream().filter(s -> s.getMetadata().getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no StatefulSet " + name))
                .getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    private static V1Container deployment(String name) {
        return all(V1Deployment.class).stream().filter(d -> d.getMetadata().getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no Deployment " + name))
                .getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    private static Optional<V1EnvVar> env(V1Container container, String name) {
        return Optional.ofNullable(container.getEnv()).orElse(List.of()).stream()
                .filter(e -> e.getName().equals(name)).findFirst();
    }

    /** The Secret a variable comes from; fails when it is missing or given in plain text. */
    private static V1SecretKeySelector secretRef(V1Container container, String name) {
        V1EnvVar variable = env(container, name)
                .orElseThrow(() -> new AssertionError(container.getName() + " (" + container.getImage() + ") lacks " + name));
        assertTrue(variable.getValue() == null && variable.getValueFrom() != null
                && variable.getValueFrom().getSecretKeyRef() != null, name + " must come from a secretKeyRef");
        return variable.getValueFrom().getSecretKeyRef();
    }

    private static <T> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }
}
