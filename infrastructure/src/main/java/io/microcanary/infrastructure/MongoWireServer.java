package io.microcanary.infrastructure;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;

import java.util.concurrent.CountDownLatch;

/**
 * The MongoDB stand-in image's entry point (scripts/stand-in-store-images.sh): the in-memory wire server the tests
 * and the dev stack use, listening on every interface of its container, since no mongod can be had on these
 * machines. Usage: {@code java -cp infrastructure.jar io.microcanary.infrastructure.MongoWireServer [port]}.
 */
public final class MongoWireServer {

    private MongoWireServer() {
    }

    public static void main(String[] args) throws InterruptedException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 27017;
        MongoServer server = new MongoServer(new MemoryBackend());
        server.bind("0.0.0.0", port);
        System.out.println("MongoDB wire server (in memory) listening on port " + port);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.shutdownNow();
            stopped.countDown();
        }, "mongo-wire-server-stop"));
        stopped.await();
    }
}
