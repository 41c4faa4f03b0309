package io.microcanary.infrastructure;

import io.microcanary.localstores.StoreKind;
import io.microcanary.localstores.StoreServer;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Stops and starts one store of the running dev stack on request, so a learner can watch what an outage does
 * ({@code ./run-local.sh stop postgres}) while the services keep running. A request is a file
 * {@code <directory>/<id>.request} holding {@code stop postgres} or {@code start postgres}; the answer is
 * {@code <directory>/<id>.reply}: {@code 0} or {@code 1} on the first line, then what happened. A stopped store
 * starts again on the same port with its data.
 */
final class StoreControl implements AutoCloseable {

    private final Path directory;
    private final DevStack stack;
    private final PrintStream log;
    private final Thread thread;
    private volatile boolean closing;

    private StoreControl(Path directory, DevStack stack, PrintStream log) {
        this.directory = directory;
        this.stack = stack;
        this.log = log;
        this.thread = new Thread(this::serve, "store-control");
        thread.setDaemon(true);
    }

    /** Answers requests in {@code directory} (created if missing) until closed. */
    static StoreControl serve(Path directory, DevStack stack, PrintStream log) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        StoreControl control = new StoreControl(directory, stack, log);
        control.thread.start();
        return control;
    }

    /** What a request does: the first line of the reply is its status, the rest is said to the caller. */
    record Answer(boolean done, String message) {
    }

    Answer handle(String request) {
        String[] words = request.strip().split("\\s+");
        String stores = Arrays.stream(StoreKind.values()).map(StoreKind::id).reduce((a, b) -> a + ", " + b).orElseThrow();
        if (words.length != 2 || !List.of("stop", "start").contains(words[0])) {
            return new Answer(false, "expected 'stop <store>' or 'start <store>', got '" + request.strip() + "'");
        }
        StoreKind kind = Arrays.stream(StoreKind.values()).filter(k -> k.id().equals(words[1].toLowerCase(Locale.ROOT)))
                .findFirst().orElse(null);
        if (kind == null) {
            return new Answer(false, "no store named '" + words[1] + "'; the dev stack runs " + stores);
        }
        StoreServer server = stack.server(kind);
        if (server.origin().startsWith("external")) {
            return new Answer(false, kind.id() + " is a server run elsewhere (" + kind.urlVariable()
                    + "); stop and start it yourself");
        }
        if (words[0].equals("stop")) {
            server.stop();
            return new Answer(true, kind.id() + " stopped; the services keep running (./run-local.sh start "
                    + kind.id() + " starts it again with its data)");
        }
        server.start();
        return new Answer(true, kind.id() + " started on " + server.address().port() + " with its data");
    }

    private void serve() {
        try (WatchService watcher = directory.getFileSystem().newWatchService()) {
            directory.register(watcher, StandardWatchEventKinds.ENTRY_CREATE);
            answerWaitingRequests(); // any written before the watch began
            while (!closing) {
                WatchKey key = watcher.take(); // until a request file appears (run-local.sh moves it in whole)
                key.pollEvents();
                answerWaitingRequests();
                key.reset();
            }
        } catch (IOException e) {
            log.println("store control stopped: " + e.getMessage());
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closing
        }
    }

    private void answerWaitingRequests() {
        try (Stream<Path> files = Files.list(directory)) {
            for (Path request : files.filter(f -> f.getFileName().toString().endsWith(".request")).sorted().toList()) {
                answer(request);
            }
        } catch (IOException | RuntimeException e) {
            log.println("store control: " + e.getMessage());
        }
    }

    private void answer(Path request) throws IOException {
        String text = Files.readString(request);
        Files.delete(request);
        Answer answer;
        try {
            answer = handle(text);
        } catch (RuntimeException e) {
            answer = new Answer(false, text.strip() + " failed: " + e.getMessage());
        }
        log.println(answer.message());
        String name = request.getFileName().toString().replaceFirst("\\.request$", "");
        Path temporary = directory.resolve(name + ".reply.tmp");
        Files.writeString(temporary, (answer.done() ? "0" : "1") + "\n" + answer.message() + "\n");
        Files.move(temporary, directory.resolve(name + ".reply"), StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public void close() {
        closing = true;
        thread.interrupt();
    }
}
