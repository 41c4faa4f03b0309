package io.microcanary.localstores;

/** A server someone else runs, named by an environment variable; this process never stops it. */
final class ExternalStoreServer implements StoreServer {

    private final StoreAddress address;

    ExternalStoreServer(StoreAddress address) {
        this.address = address;
    }

    @Override
    public StoreAddress address() {
        return address;
    }

    @Override
    public String origin() {
        return "external (" + address.kind().urlVariable() + ")";
    }

    @Override
    public void stop() {
        throw new UnsupportedOperationException("an outage test needs a server it can stop, but "
                + address.kind().urlVariable() + " points at an external one; unset it to use an embedded server");
    }

    @Override
    public void start() {
        stop();
    }

    @Override
    public void close() {
        // not ours to stop
    }
}
