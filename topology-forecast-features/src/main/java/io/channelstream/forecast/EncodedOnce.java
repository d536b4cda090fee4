package io.channelstream.forecast;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The serde of a published record that is also kept in a store (features, suggestions): both write the bytes
 * the output topic gets (its registry subject, whatever topic Kafka Streams names), so the record published
 * right after it was stored is not encoded a second time. Each publication stored and published one features
 * and one suggestion record, four Avro encodings that were a fifth of the stream thread; now two. The store's
 * bytes are the topic's wire format, read back by the same deserializer (the schema id says which schema).
 * The last record written is remembered per thread, by identity: records are not changed once built.
 */
final class EncodedOnce<V> implements Serde<V> {

    private final Serde<V> wire;
    private final String topic;
    /** How a record becomes the topic's bytes: the wire serde's serializer unless given another. */
    private final Serializer<V> encoder;
    private final ThreadLocal<Last> last = new ThreadLocal<>();

    private record Last(Object value, byte[] bytes) {}

    EncodedOnce(Serde<V> wire, String topic) {
        this(wire, topic, wire.serializer());
    }

    /** @param encoder writes the same bytes as the wire serde's serializer, faster ({@link PublishedAvro}) */
    EncodedOnce(Serde<V> wire, String topic, Serializer<V> encoder) {
        this.wire = wire;
        this.topic = topic;
        this.encoder = encoder;
    }

    @Override
    public Serializer<V> serializer() {
        return (ignoredTopic, value) -> {
            if (value == null) {
                return null;
            }
            Last previous = last.get();
            if (previous != null && previous.value() == value) {
                return previous.bytes();
            }
            byte[] bytes = encoder.serialize(topic, value);
            last.set(new Last(value, bytes));
            return bytes;
        };
    }

    @Override
    public Deserializer<V> deserializer() {
        return wire.deserializer();
    }
}
