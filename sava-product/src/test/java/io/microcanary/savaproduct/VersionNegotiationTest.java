package io.microcanary.savaproduct;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class VersionNegotiationTest {

    @ParameterizedTest(name = "[{0}] -> {1}")
    @CsvSource(delimiter = '|', nullValues = "none", value = {
            "none | V2",
            "*/* | V2",
            "application/json | V2",
            "application/* | V2",
            "application/vnd.sava.v1+json | V1",
            "application/vnd.sava.v2+json | V2",
            "APPLICATION/VND.SAVA.V1+JSON | V1",
            "application/vnd.sava.v1+json;q=0.9, application/vnd.sava.v2+json;q=0.5 | V1",
            "application/vnd.sava.v2+json;q=0.4, application/vnd.sava.v1+json | V1",
            "application/vnd.sava.v1+json, */* | V1",
            "*/*, application/vnd.sava.v1+json | V1",
            "application/vnd.sava.v1+json;q=0.4, */*;q=0.5 | V2",
            "application/vnd.sava.v9+json, application/vnd.sava.v1+json;q=0.1 | V1",
            "application/vnd.sava.v1+json;q=0, application/json | V2",
            "application/vnd.sava.v9+json | none",
            "text/html | none",
            "application/vnd.sava.v1+json;q=0 | none",
            "application/vnd.sava.v1+json;q=high | none",
    })
    void picksTheVersionTheClientPrefers(String accept, String expected) {
        Optional<ApiVersion> chosen = VersionNegotiation.choose(accept);
        assertEquals(expected == null ? Optional.empty() : Optional.of(ApiVersion.valueOf(expected)), chosen);
    }
}
