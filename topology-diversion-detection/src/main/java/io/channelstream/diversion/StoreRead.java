package io.channelstream.diversion;

/**
 * The answer of this instance's store to a query aimed at one partition: a value, or why this instance
 * cannot answer (the caller then routes elsewhere, or answers 503 with Retry-After).
 */
public sealed interface StoreRead<T> {

    /** @param fromStandby true when a standby copy answered; it may lag the active one */
    record Served<T>(T value, boolean fromStandby) implements StoreRead<T> {}

    /** @param reason Kafka Streams' failure reason, e.g. NOT_ACTIVE or NOT_PRESENT during a rebalance */
    record Unavailable<T>(String reason, String message) implements StoreRead<T> {}
}
