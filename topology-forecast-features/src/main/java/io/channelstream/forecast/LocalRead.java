package io.channelstream.forecast;

/**
 * The answer of this instance's stores to a query aimed at one partition: a value (null when the
 * key has none), or why this instance cannot answer (the caller then routes elsewhere, or answers
 * 503 with Retry-After).
 */
public sealed interface LocalRead<T> {

    /** @param fromStandby true when served by a standby copy, which may lag the active one */
    record Served<T>(T value, boolean fromStandby) implements LocalRead<T> {}

    /** @param reason Kafka Streams' failure reason, e.g. NOT_ACTIVE or NOT_PRESENT during a rebalance */
    record Unavailable<T>(String reason, String message) implements LocalRead<T> {}
}
