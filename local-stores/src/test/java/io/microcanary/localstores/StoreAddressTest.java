package io.microcanary.localstores;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class StoreAddressTest {

    @Test
    void parsesAPostgresUrlWithCredentials() {
        StoreAddress address = StoreAddress.parse(StoreKind.POSTGRES, "postgresql://app:s3cret@db.local:6543/addressbook");

        assertEquals(new StoreAddress(StoreKind.POSTGRES, "db.local", 6543, "app", "s3cret", "addressbook"), address);
        assertEquals("jdbc:postgresql://db.local:6543/addressbook", address.jdbcUrl());
    }

    @Test
    void fillsPostgresDefaultsLikeTheOriginal() {
        StoreAddress address = StoreAddress.parse(StoreKind.POSTGRES, "postgresql://localhost");

        assertEquals(new StoreAddress(StoreKind.POSTGRES, "localhost", 5432, "postgres", "", "postgres"), address);
    }

    @Test
    void parsesRedisAndMongoUrls() {
        assertEquals("redis://127.0.0.1:6380", StoreAddress.parse(StoreKind.REDIS, "redis://127.0.0.1:6380").url());
        assertEquals("mongodb://mongo:27017", StoreAddress.parse(StoreKind.MONGO, "mongodb://mongo").url());
    }

    @Test
    void rejectsAUrlWithoutAHostNamingTheVariable() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> StoreAddress.parse(StoreKind.REDIS, "localhost:6379"));
        assertEquals("REDIS_URL must look like scheme://host:port, was localhost:6379", error.getMessage());
    }

    @Test
    void rejectsAnUnknownStoreMode() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> Stores.mode(StoreKind.REDIS, java.util.Map.of("TEST_STORES", "podman")));
        assertEquals("TEST_STORES must be auto, embedded or testcontainers, was 'podman'", error.getMessage());
    }
}
