package io.microcanary.support.events;

import io.micronaut.context.ApplicationContext;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The queue message eventservice parses: the same fields, values and order the hand-built JSON had. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PageEventTest {

    private static final UUID ID = UUID.fromString("0f8fad5b-d9cb-469f-a165-70867728950e");
    private static final Instant AT = Instant.parse("2026-11-23T10:00:00.123456Z");

    private ApplicationContext context;
    private JsonMapper json;

    @BeforeAll
    void start() {
        context = ApplicationContext.run();
        json = context.getBean(JsonMapper.class);
    }

    @AfterAll
    void stop() {
        context.close();
    }

    @Test
    void aPageViewIsWrittenAsTheQueueHasAlwaysReceivedIt() throws IOException {
        assertEquals("{\"action\":\"record\",\"type\":\"page\",\"url\":\"/add\","
                        + "\"id\":\"0f8fad5b-d9cb-469f-a165-70867728950e\",\"ts\":\"2026-11-23T10:00:00.123456Z\"}",
                json.writeValueAsString(PageEvent.viewOf("/add", ID, AT)));
    }

    @Test
    void quotesBackslashesAndControlCharactersInTheUrlReadBackUnchanged() throws IOException {
        String url = "/search?q=\"a\\b\"\n\t\u0001&x=é";

        Map<String, Object> read = json.readValue(json.writeValueAsString(PageEvent.viewOf(url, ID, AT)),
                Argument.mapOf(String.class, Object.class));

        assertEquals(Map.of("action", "record", "type", "page", "url", url, "id", ID.toString(),
                "ts", "2026-11-23T10:00:00.123456Z"), read);
    }

    @Test
    void anEmptyUrlIsStillWrittenSoTheConsumerCanSayWhatIsMissing() throws IOException {
        assertEquals("{\"action\":\"record\",\"type\":\"page\",\"url\":\"\","
                        + "\"id\":\"0f8fad5b-d9cb-469f-a165-70867728950e\",\"ts\":\"2026-11-23T10:00:00.123456Z\"}",
                json.writeValueAsString(PageEvent.viewOf("", ID, AT)));
    }
}
