package io.microcanary.systemtests;

import io.microcanary.testsupport.Checkout;

import com.fasterxml.jackson.databind.JsonNode;
import io.microcanary.testsupport.Poller;
import io.microcanary.testsupport.http.Http;
import io.microcanary.localstores.Stores;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
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

    /**
     * Beside a developer's own PostgreSQL, Redis and MongoDB: this test holds the stores' standard ports first
     * (those someone else already holds are taken anyway), so run-local.sh must move its stores and say so.
     */
    @Test
    void startsTheSystemServesTheTutorialsRequestsAndStopsEverythingItStarted() throws Exception {
        int addressbookPort = Stores.freePort();
        Path state = Files.createTempDirectory("run-local-");
        Path out = state.resolve("stdout.txt");
        Path err = state.resolve("stderr.txt");
        ProcessBuilder builder = new ProcessBuilder("bash", "run-local.sh", "addressbook")
                .directory(Checkout.root().toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        builder.environment().putAll(java.util.Map.of(
                "ADDRESSBOOK_PORT", String.valueOf(addressbookPort),
                "RUN_LOCAL_DIR", state.toString()));
        builder.environment().keySet().removeAll(List.of("POSTGRES_PORT", "REDIS_PORT", "MONGO_PORT"));
        List<ServerSocket> held = hold(5432, 6379, 27017);
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
            String env = read(state.resolve("dev-stack.env"));
            List<String> moved = read(err).lines().filter(line -> line.startsWith("standard ports in use")).toList();
            assertEquals(List.of("standard ports in use, so postgres on " + value(env, "POSTGRES_PORT")
                    + " (not 5432), redis on " + portOf(value(env, "REDIS_URI")) + " (not 6379), mongo on "
                    + portOf(value(env, "MONGODB_URI")) + " (not 27017); the services use them"), moved, () -> read(err));

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
            for (ServerSocket socket : held) {
                socket.close();
            }
        }
        assertFalse(script.isAlive());
    }

    @Test
    void refusesAServicePortInUseNamingTheVariableToSetAndStartsNothing() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            Path state = Files.createTempDirectory("run-local-");
            ProcessBuilder builder = new ProcessBuilder("bash", "run-local.sh", "addressbook")
                    .directory(Checkout.root().toFile()).redirectErrorStream(true)
                    .redirectOutput(state.resolve("out.txt").toFile());
            builder.environment().putAll(java.util.Map.of("ADDRESSBOOK_PORT", String.valueOf(taken.getLocalPort()),
                    "RUN_LOCAL_DIR", state.toString()));
            Process script = builder.start();

            assertTrue(script.waitFor(30, TimeUnit.SECONDS), "run-local.sh gives up at once");
            assertEquals(1, script.exitValue());
            assertEquals("run-local: ports in use here; set these variables to free ports: ADDRESSBOOK_PORT ("
                    + taken.getLocalPort() + ")\n", read(state.resolve("out.txt")));
            assertFalse(Files.exists(state.resolve("logs/dev-stack.log")), "no dev stack was started");
        }
    }

    /** As the micro system's original ran under fuge: one service stops and starts while the rest keep serving. */
    @Test
    void keepsTheRestRunningWhenOneServiceExitsAndStopsAndStartsOneByName() throws Exception {
        try (LocalSystem system = new LocalSystem(List.of("sava-product", "sava-cart-ie"))) {
            Http store = Http.at(system.url("sava-cart-ie"));
            Http catalogue = Http.at(system.url("sava-product"));
            // the store's first call may time out on a busy machine (250 ms), so it may show its stub list at first
            Poller.within(Duration.ofSeconds(30)).until("the store to show the catalogue",
                    () -> store.get("/").body().contains("Dreamcatcher"));

            ProcessHandle.of(system.pid("sava-product")).orElseThrow().destroyForcibly(); // SIGKILL, as a crash
            Poller.within(Duration.ofSeconds(30)).until("run-local.sh to report the exit",
                    () -> system.printed().contains("run-local: sava-product exited (status 137); the others keep running"
                            + " (./run-local.sh start sava-product starts it again; log: "));
            assertTrue(system.running(), system::printed);
            Http.Response page = store.get("/");
            assertEquals(200, page.status());
            assertTrue(page.body().contains("The catalogue is offline: showing the last products we saw."), page::body);

            LocalSystem.Control started = system.control("start", "sava-product");
            assertEquals(0, started.exitCode(), started.output());
            assertTrue(started.output().matches("sava-product ready \\(\\d+\\.\\d+s\\)\\n"), started.output());
            assertEquals(200, catalogue.get("/products/ie").status());

            LocalSystem.Control stopped = system.control("stop", "sava-product");
            assertEquals(new LocalSystem.Control(0, "sava-product stopped; the others keep running\n"), stopped);
            assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", portOf(system.url("sava-product"))).close());
            assertEquals(200, store.get("/").status());
            assertEquals(new LocalSystem.Control(1, "sava-product is not running\n"), system.control("stop", "sava-product"));
            int port = portOf(system.url("sava-product"));
            try (ServerSocket squatter = new ServerSocket(port)) {
                assertEquals(new LocalSystem.Control(1, "port in use: SAVA_PRODUCT_PORT (" + port + "); free it, or start "
                        + "run-local.sh again with that variable set\n"), system.control("start", "sava-product"));
            }

            assertEquals(0, system.control("start", "sava-product").exitCode());
            assertEquals(200, catalogue.get("/products/ie").status());
            assertEquals(1, system.control("start", "sava-product").exitCode(), "already running");
            assertTrue(system.running(), system::printed);
            assertEquals(0, system.stop(), system::printed);
        }
    }

    /** The tutorial's readiness story on this machine: the database stops, addressbook is unready but alive, then back. */
    @Test
    void stopsAndStartsTheDatabaseByNameAndAddressbookLeavesAndRejoinsReadiness() throws Exception {
        try (LocalSystem system = new LocalSystem(List.of("addressbook"))) {
            Http addressbook = Http.at(system.url("addressbook"));
            long id = addressbook.putForm("/person", "firstName=kept&lastName=through").json().get("id").asLong();

            assertEquals(new LocalSystem.Control(0, "postgres stopped; the services keep running (./run-local.sh start "
                    + "postgres starts it again with its data)\n"), system.control("stop", "postgres"));
            Poller.within(Duration.ofSeconds(15)).until("addressbook to turn unready",
                    () -> addressbook.get("/health/readiness").status() == 503);
            assertEquals(200, addressbook.get("/health/liveness").status(), "alive, so nothing would restart it");
            assertTrue(system.running(), system::printed);

            LocalSystem.Control started = system.control("start", "postgres");
            assertEquals(0, started.exitCode(), started.output());
            assertTrue(started.output().matches("postgres started on \\d+ with its data\n"), started.output());
            Poller.within(Duration.ofSeconds(30)).until("addressbook to be ready again",
                    () -> addressbook.get("/health/readiness").status() == 200);
            assertEquals("kept", addressbook.get("/person/" + id).json().get("firstName").asText());

            LocalSystem.Control unknown = system.control("stop", "mysql");
            assertEquals(1, unknown.exitCode(), unknown.output());
            assertTrue(unknown.output().contains("one of: addressbook "), unknown.output());
            assertTrue(unknown.output().endsWith("postgres redis mongo\n"), unknown.output());
            assertEquals(0, system.stop(), system::printed);
        }
    }

    private static List<ServerSocket> hold(int... ports) {
        List<ServerSocket> held = new java.util.ArrayList<>();
        for (int port : ports) {
            try {
                held.add(new ServerSocket(port));
            } catch (IOException alreadyTaken) {
                // someone else's server holds it: just as good
            }
        }
        return held;
    }

    private static String value(String env, String name) {
        return env.lines().filter(line -> line.startsWith(name + "='")).map(line -> line.substring(name.length() + 2,
                line.length() - 1)).findFirst().orElseThrow(() -> new AssertionError(name + " not in " + env));
    }

    private static int portOf(String url) {
        return java.net.URI.create(url).getPort();
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
