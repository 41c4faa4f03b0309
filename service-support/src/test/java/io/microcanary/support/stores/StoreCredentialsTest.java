package io.microcanary.support.stores;

import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoCredential;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.microcanary.testsupport.http.Http;
import io.microcanary.localstores.StoreKind;
import io.microcanary.localstores.StoreServer;
import io.microcanary.localstores.Stores;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The services' one credentials convention ({@code REDIS_PASSWORD}; {@code MONGODB_USERNAME} and
 * {@code MONGODB_PASSWORD}), against a real Redis that requires a password as the cluster's does.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StoreCredentialsTest {

    private static final String PASSWORD = "s3cret-" + System.nanoTime();

    private final StoreServer redis = Stores.redisRequiringPassword(PASSWORD);

    @AfterAll
    void stopRedis() {
        redis.close();
    }

    @Test
    void aServiceWithThePasswordConnectsAndIsReady() {
        try (EmbeddedServer server = serviceWithRedisPassword(PASSWORD)) {
            RedisClient client = server.getApplicationContext().getBean(RedisClient.class);
            try (StatefulRedisConnection<String, String> connection = client.connect()) {
                connection.sync().set("credentials-test", "written");
                assertEquals("written", connection.sync().get("credentials-test"));
            }
            Http.Response readiness = Http.at(server.getURI()).get("/health/readiness");
            assertEquals(200, readiness.status(), readiness::toString);
        }
    }

    @Test
    void aWrongPasswordMakesTheServiceUnreadySayingWhichVariableToCheck() {
        assertRefused(serviceWithRedisPassword("wrong"));
    }

    @Test
    void noPasswordMakesTheServiceUnreadySayingWhichVariableToCheck() {
        assertRefused(serviceWithRedisPassword(""));
    }

    @Test
    void mongoLogsInAsTheConfiguredUserInTheAdminDatabaseByDefault() {
        MongoClientSettings settings = MongoClientFactory.clientSettings(
                new MongoSettings("mongodb://mongo:27017", "root", "pw", "", Duration.ofSeconds(1)));
        MongoCredential credential = settings.getCredential();

        assertEquals("root", credential.getUserName());
        assertEquals("admin", credential.getSource());
        assertArrayEquals("pw".toCharArray(), credential.getPassword());
        assertNull(MongoClientFactory.clientSettings(new MongoSettings("mongodb://mongo:27017", "", "", null,
                Duration.ofSeconds(1))).getCredential(), "no user: no login, as the local dev stack's MongoDB needs");
    }

    /**
     * The in-process MongoDB wire server has no SCRAM (it answers saslStart with "no such command"), so it cannot
     * accept a login: what it shows is that the service does log in when a user is configured, and says so clearly
     * when that fails. The cluster's real MongoDB is checked through the manifests (k8s StoreCredentialsPolicyTest).
     */
    @Test
    void aMongoLoginThatFailsMakesTheServiceUnreadySayingWhichVariablesToCheck() {
        try (StoreServer mongo = Stores.start(StoreKind.MONGO);
             EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, Map.of(
                     "micronaut.server.port", -1,
                     "mongodb.uri", mongo.url(),
                     "mongodb.username", "root",
                     "mongodb.password", "wrong",
                     "mongodb.timeout", "1s"))) {
            Http.Response readiness = Http.at(server.getURI()).get("/health/readiness");
            assertEquals(503, readiness.status(), readiness::toString);
            assertEquals("refused the login: check MONGODB_USERNAME and MONGODB_PASSWORD",
                    readiness.json().at("/details/mongodb/details/mongodb").asText(), readiness::toString);
        }
    }

    private static void assertRefused(EmbeddedServer service) {
        try (EmbeddedServer server = service) {
            Http.Response readiness = Http.at(server.getURI()).get("/health/readiness");
            assertEquals(503, readiness.status(), readiness::toString);
            JsonNode redisCheck = readiness.json().at("/details/redis/details/redis");
            assertEquals("refused the login: check REDIS_PASSWORD (and REDIS_USERNAME)", redisCheck.asText(),
                    readiness::toString);
        }
    }

    private EmbeddedServer serviceWithRedisPassword(String password) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("micronaut.server.port", -1);
        properties.put("redis.uri", redis.url());
        properties.put("redis.password", password);
        properties.put("redis.timeout", "1s");
        return ApplicationContext.run(EmbeddedServer.class, properties);
    }
}
