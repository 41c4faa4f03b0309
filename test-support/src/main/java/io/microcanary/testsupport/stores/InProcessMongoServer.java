package io.microcanary.testsupport.stores;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;

/**
 * A MongoDB wire-protocol server in this JVM (no mongod can be had on these machines). Data lives in memory
 * and survives stop/start, which close every client connection like a real outage.
 */
final class InProcessMongoServer implements StoreServer {

    private final StoreAddress address;
    private final MemoryBackend backend = new MemoryBackend();
    private MongoServer server;

    InProcessMongoServer(int port) {
        this.address = StoreAddress.local(StoreKind.MONGO, port);
        start();
    }

    @Override
    public StoreAddress address() {
        return address;
    }

    @Override
    public String origin() {
        return "in-process MongoDB wire server";
    }

    @Override
    public synchronized void start() {
        if (server != null) {
            return;
        }
        server = new MongoServer(survivingClose(backend));
        server.bind(address.host(), address.port());
    }

    @Override
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        server.shutdownNow();
        server = null;
    }

    /** The server closes its backend on shutdown; an outage must not lose the data, so that close is ignored. */
    private static MongoBackend survivingClose(MongoBackend backend) {
        return (MongoBackend) Proxy.newProxyInstance(MongoBackend.class.getClassLoader(), new Class<?>[]{MongoBackend.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("close") && method.getParameterCount() == 0) {
                        return null;
                    }
                    try {
                        return method.invoke(backend, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Override
    public synchronized void close() {
        stop();
        backend.close();
    }
}
