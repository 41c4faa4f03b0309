package io.microcanary.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import io.microcanary.testsupport.Poller;
import io.microcanary.testsupport.http.Http;
import io.microcanary.testsupport.stores.Stores;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's first command, as a learner runs it: start, use the tutorial's curl commands, stop. */
class RunLocalIT {

    @Test
    void startsTheSystemServesTheTutorialsRequestsAndStopsEverythingItStarted() throws Exception {
        int addressbookPort = Stores.freePort();
        Path state = Files.createTempDirectory("run-local-");
        Path out = state.resolve("stdout.txt");
        Path err = state.resolve("stderr.txt");
        ProcessBuilder builder = new ProcessBuilder("bash", "run-local.sh", "addressbook")
                .directory(Repository.root().toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        builder.environment().putAll(java.util.Map.of(
                "ADDRESSBOOK_PORT", String.valueOf(addressbookPort),
                "POSTGRES_PORT", "0", "REDIS_PORT", "0", "MONGO_PORT", "0",
                "RUN_LOCAL_DIR", state.toString()));
        Process script = builder.start();
        try {
            String url = "http://localhost:" + addressbookPort;
            Poller.within(Duration.ofSeconds(180)).until("run-local.sh to print the addressbook URL", () -> {
                if (!script.isAlive()) {
                    throw new AssertionError("run-local.sh exited " + script.exitValue() + ": " + read(err));
                }
                return read(out);
            }, printed -> printed.matches("(?s).*addressbook +" + url + "\\R.*"), printed -> lastLine(read(err)));
            List<ProcessHandle> started = script.descendants().filter(p -> p.info().command().orElse("").endsWith("java"))
                    .toList();
            assertEquals(2, started.size(), "the dev stack and the addressbook: " + started);

            Http http = Http.at(url);
            Http.Response created = http.putForm("/person", "firstName=al&lastName=pacino");
            assertEquals(200, created.status(), created::toString);
            long id = created.json().get("id").asLong();
            JsonNode all = http.get("/all").json();
            assertEquals("pacino", all.get(0).get("lastName").asText(), all::toString);
            assertEquals("al", http.get("/person/" + id).json().get("firstName").asText());
            assertEquals(204, http.delete("/person/" + id).status());
            assertEquals("[]", http.get("/all").body());
            assertTrue(read(err).contains("addressbook ready"), () -> read(err));

            // INT (Ctrl-C) and TERM share one trap; TERM is used here because a test runner started in the
            // background may hand its children an ignored INT, which no script can trap.
            new ProcessBuilder("kill", "-TERM", String.valueOf(script.pid())).start().waitFor(5, TimeUnit.SECONDS);
            assertTrue(script.waitFor(60, TimeUnit.SECONDS), "run-local.sh stops within a minute");
            assertEquals(0, script.exitValue(), () -> read(err));
            for (ProcessHandle process : started) {
                Poller.within(Duration.ofSeconds(20)).until("process " + process.pid() + " to exit", () -> !process.isAlive());
            }
            assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", addressbookPort).close());
            assertTrue(read(err).contains("stopped"), () -> read(err));
        } finally {
            script.descendants().forEach(ProcessHandle::destroyForcibly);
            script.destroyForcibly();
        }
        assertFalse(script.isAlive());
    }

    private static String lastLine(String text) {
        String[] lines = text.strip().split("\\R");
        return lines[lines.length - 1];
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
