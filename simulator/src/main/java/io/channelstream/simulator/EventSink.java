package io.channelstream.simulator;

/** Where generated events go: Kafka, a list in a test, the API's publisher in local mode. */
public interface EventSink extends AutoCloseable {

    void accept(SimEvent event);

    /** Blocks until everything accepted so far is durably written (no-op for in-memory sinks). */
    default void flush() {
    }

    @Override
    default void close() {
        flush();
    }
}
