package io.microcanary.localstores;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;

/**
 * A MongoDB wire-protocol server in this JVM (no mongod can be had on these machines). Data lives in memory
 * and survives stop/start, which close every client connection like a real outage.
 */
final class InProcessMongoServer extends LocalStoreServer {

    private final MemoryBackend backend = new MemoryBackend();
    private MongoServer server;

    InProcessMongoServer(int port) {
        super(StoreKind.MONGO, port, "in-process MongoDB wire server");
        start();
    }

    @Override
    protected void launch() {
        server = new MongoServer(survivingClose(backend));
        server.bind(address().host(), address().port());
    }

    @Override
    protected void halt() {
        server.shutdownNow();
    }

    @Override
    protected void discardData() {
        backend.close();
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
}
