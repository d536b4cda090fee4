package io.channelstream.inventory;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The serde of a master-data global store: the topic's own serde, with decoding remembered per exact
 * byte content. Master data changes rarely and is read on every stock movement (the location for its
 * safety stock, the product for its expiry rule), so decoding the same Avro bytes again each time was
 * a tenth of the stream thread's time. Keyed by content, not by store key: a changed record has other
 * bytes and is decoded afresh, so a read never sees an outdated value.
 *
 * <p>The decoded records are shared between readers: they must be read, never modified.
 */
final class MasterDataSerde<V> implements Serde<V> {

    /** Above the seed's thousands of locations and products; past it the memo starts over. */
    static final int MAX_REMEMBERED = 20_000;

    private final Serde<V> decoded;
    private final Map<ByteBuffer, V> remembered = new ConcurrentHashMap<>();

    MasterDataSerde(Serde<V> decoded) {
        this.decoded = decoded;
    }

    @Override
    public Serializer<V> serializer() {
        return decoded.serializer();
    }

    @Override
    public Deserializer<V> deserializer() {
        Deserializer<V> decoder = decoded.deserializer();
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            ByteBuffer content = ByteBuffer.wrap(bytes);
            V value = remembered.get(content);
            if (value == null) {
                value = decoder.deserialize(topic, bytes);
                if (remembered.size() >= MAX_REMEMBERED) {
                    remembered.clear();
                }
                remembered.put(content, value);
            }
            return value;
        };
    }
}
