package io.channelstream.inventory;

import java.util.Arrays;
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
    private final Map<Content, V> remembered = new ConcurrentHashMap<>();

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
            Content content = new Content(bytes);
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

    /**
     * Bytes as a memo key: equal when the bytes are equal (compared in full), hashed from the length, a
     * sample of the bytes and their sum. ByteBuffer's hash multiplies through every byte one after another,
     * which was most of the memo's cost; a sum and a sample are cheaper and still tell records apart.
     */
    private static final class Content {
        private static final int SAMPLES = 32;

        private final byte[] bytes;
        private final int hash;

        Content(byte[] bytes) {
            this.bytes = bytes;
            int h = bytes.length;
            int step = Math.max(1, bytes.length / SAMPLES);
            for (int i = 0; i < bytes.length; i += step) {
                h = 31 * h + bytes[i];
            }
            int sum = 0;
            for (byte b : bytes) {
                sum += b;
            }
            this.hash = 31 * h + sum;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Content that && that.hash == hash && Arrays.equals(that.bytes, bytes);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
