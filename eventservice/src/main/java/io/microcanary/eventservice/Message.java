package io.microcanary.eventservice;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.Map;

/** What a queue message asks for. */
sealed interface Message {

    /** Store a page event; the id makes storing it twice harmless. */
    record Record(String id, Instant ts, String eventType, String url) implements Message {
    }

    /** Push the URL counts onto {@code returnPath}. */
    record Summary(String returnPath) implements Message {
    }

    /** Cannot be handled: goes to the dead letters with the reason. */
    record Invalid(String reason) implements Message {
    }

    static Message of(String raw, Map<String, Object> fields, Instant received) {
        Object action = fields.get("action");
        if ("record".equals(action)) {
            Object url = fields.get("url");
            if (!(url instanceof String text) || text.isBlank()) {
                return new Invalid("a record needs a url");
            }
            Object type = fields.getOrDefault("type", "page");
            Object id = fields.get("id");
            return new Record(id instanceof String given && !given.isBlank() ? given : contentId(raw),
                    timestamp(fields.get("ts"), received), String.valueOf(type), text);
        }
        if ("summary".equals(action)) {
            Object returnPath = fields.get("returnPath");
            return returnPath instanceof String path && !path.isBlank() ? new Summary(path)
                    : new Invalid("a summary needs a returnPath");
        }
        return new Invalid(action == null ? "no action" : "unknown action '" + action + "'");
    }

    /**
     * The original Node producers send no id: such a message is identified by its content, so a redelivery is
     * stored once (and two identical id-less messages count once, which is the price of idempotency without ids).
     */
    private static String contentId(String raw) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(raw.getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static Instant timestamp(Object ts, Instant received) {
        if (ts instanceof String text) {
            try {
                return Instant.parse(text);
            } catch (DateTimeParseException e) {
                return received;
            }
        }
        return received;
    }
}
