package io.microcanary.localstores;

/**
 * A running store a test or the dev stack can talk to. {@link #stop()} and {@link #start()} take it down and
 * bring it back on the same address with its data, for outage tests.
 */
public interface StoreServer extends AutoCloseable {

    StoreAddress address();

    /** Where the server came from: {@code embedded}, {@code testcontainers} or {@code external}. */
    String origin();

    void stop();

    void start();

    @Override
    void close();

    default String url() {
        return address().url();
    }
}
