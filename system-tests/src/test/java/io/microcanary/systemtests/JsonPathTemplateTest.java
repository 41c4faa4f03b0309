package io.microcanary.systemtests;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class JsonPathTemplateTest {

    private static final JsonElement PODS = JsonParser.parseString("""
            {"kind": "List", "items": [
              {"metadata": {"name": "a"}, "status": {"podIP": "10.244.0.2",
                "containerStatuses": [{"ready": false, "restartCount": 0}]}},
              {"metadata": {"name": "b"}, "status": {"podIP": "10.244.0.3"}}]}""");

    @Test
    void rendersPlainPathsIndexesWildcardsAndLiteralsAsKubectlDoes() {
        assertEquals("a", JsonPathTemplate.render("{.items[0].metadata.name}", PODS));
        assertEquals("10.244.0.2 10.244.0.3", JsonPathTemplate.render("{.items[*].status.podIP}", PODS));
        assertEquals("ready=false restarts=0\n", JsonPathTemplate.render(
                "ready={.items[0].status.containerStatuses[0].ready} "
                        + "restarts={.items[0].status.containerStatuses[0].restartCount}{\"\\n\"}", PODS));
        assertEquals("", JsonPathTemplate.render("{.items[1].status.containerStatuses}", PODS));
    }

    @Test
    void refusesWhatItDoesNotEmulateRatherThanAnsweringWrongly() {
        assertEquals("error: the emulated kubectl's jsonpath takes plain paths only, not {.items[?(@.metadata.name==\"a\")]}",
                assertThrows(ClusterCommands.Refused.class,
                        () -> JsonPathTemplate.render("{.items[?(@.metadata.name==\"a\")]}", PODS)).getMessage());
        assertEquals("error: error executing jsonpath \"{.items[5].metadata.name}\": Error executing template: array index "
                        + "out of bounds: index 5, length 2",
                assertThrows(ClusterCommands.Refused.class,
                        () -> JsonPathTemplate.render("{.items[5].metadata.name}", PODS)).getMessage());
    }
}
