package io.channelstream.forecast;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The value serde of a global master-data store that decodes each distinct stored value once: the dealer step
 * looks up a SKU's product for every order line and the seasonality of its category for every publication,
 * and decoding the Avro record each time was most of what those lookups cost. Values are remembered by their
 * bytes, so a changed record is decoded afresh and nothing goes stale. Master data is small (hundreds of
 * products, a few thousand locations); past {@link #MAX_REMEMBERED} distinct values the memory starts over.
 * Shared by the threads that read a global store, hence a concurrent map; the values must not be mutated.
 */
final class RememberedValues<V> implements Serde<V> {

    static final int MAX_REMEMBERED = 50_000;

    private final Serde<V> inner;
    private final Map<ByteBuffer, V> decoded = new ConcurrentHashMap<>();

    RememberedValues(Serde<V> inner) {
        this.inner = inner;
    }

    @Override
    public Serializer<V> serializer() {
        return inner.serializer();
    }

    @Override
    public Deserializer<V> deserializer() {
        Deserializer<V> decoder = inner.deserializer();
        return (topic, data) -> {
            if (data == null) {
                return null;
            }
            ByteBuffer bytes = ByteBuffer.wrap(data);
            V known = decoded.get(bytes);
            if (known != null) {
                return known;
            }
            V value = decoder.deserialize(topic, data);
            if (decoded.size() >= MAX_REMEMBERED) {
                decoded.clear();
            }
            decoded.put(ByteBuffer.wrap(data.clone()), value);
            return value;
        };
    }
}
