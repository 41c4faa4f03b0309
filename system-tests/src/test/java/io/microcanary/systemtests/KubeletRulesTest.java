package io.microcanary.systemtests;

import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1EnvVarSource;
import io.kubernetes.client.openapi.models.V1SecretKeySelector;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** KubeletRules' expansion and environment against the cases of Kubernetes' own expansion tests. */
class KubeletRulesTest {

    private static final Map<String, String> ENV = Map.of("VAR_A", "A", "VAR_EMPTY", "", "PASSWORD", "pa$$(w)");

    @Test
    void expandsDefinedVariablesAndLeavesEverythingElseAsKubernetesDoes() {
        assertEquals("A", KubeletRules.expand("$(VAR_A)", ENV));
        assertEquals("--requirepass pa$$(w)", KubeletRules.expand("--requirepass $(PASSWORD)", ENV), "values are not expanded again");
        assertEquals("xAyA", KubeletRules.expand("x$(VAR_A)y$(VAR_A)", ENV));
        assertEquals("", KubeletRules.expand("$(VAR_EMPTY)", ENV));
        assertEquals("$(VAR_MISSING)", KubeletRules.expand("$(VAR_MISSING)", ENV), "undefined stays as written");
        assertEquals("$(VAR_A)", KubeletRules.expand("$$(VAR_A)", ENV), "$$ escapes");
        assertEquals("$A", KubeletRules.expand("$$$(VAR_A)", ENV));
        assertEquals("$(VAR_A", KubeletRules.expand("$(VAR_A", ENV), "an unclosed reference stays");
        assertEquals("$VAR_A $", KubeletRules.expand("$VAR_A $", ENV), "no parenthesis, no expansion");
    }

    @Test
    void takesSecretValuesBase64DecodedAndExpandsValuesFromEarlierVariablesOnly() {
        KubeletRules kubelet = new KubeletRules("""
                apiVersion: v1
                kind: Secret
                metadata: {name: redis-5f7b}
                data:
                  password: c2VjcmV0IHZhbHVl
                """);
        V1Container container = new V1Container().name("c").env(List.of(
                new V1EnvVar().name("LATER").value("[$(PASSWORD)]"),
                new V1EnvVar().name("PASSWORD").valueFrom(new V1EnvVarSource().secretKeyRef(new V1SecretKeySelector().name("redis-5f7b").key("password"))),
                new V1EnvVar().name("URL").value("redis://:$(PASSWORD)@redis")));

        assertEquals(Map.of("LATER", "[$(PASSWORD)]", "PASSWORD", "secret value", "URL", "redis://:secret value@redis"),
                kubelet.environment(container));
        assertEquals(List.of("--requirepass", "secret value"),
                kubelet.expanded(List.of("--requirepass", "$(PASSWORD)"), kubelet.environment(container)));
        assertThrows(AssertionError.class, () -> kubelet.environment(new V1Container().name("c").env(List.of(new V1EnvVar().name("X")
                .valueFrom(new V1EnvVarSource().secretKeyRef(new V1SecretKeySelector().name("redis").key("password")))))),
                "a Secret that was not rendered fails");
    }
}
