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
 * <p>Before the content is even hashed, the very array is looked up: the topology's master-data stores are
 * in memory ({@code InventoryTopology}), and an in-memory store answers a read with the array it holds, the
 * same instance until the key is written again. Hashing and comparing a product's whole record on every
 * movement was 8 % of the stream thread's time (docs/benchmarks.md); comparing one reference is nothing. A
 * rewritten key is a new array, which misses here and goes through the content memo as before.
 *
 * <p>The decoded records are shared between readers: they must be read, never modified.
 */
final class MasterDataSerde<V> implements Serde<V> {

    /** Above the seed's thousands of locations and products; past it the memo starts over. */
    static final int MAX_REMEMBERED = 20_000;

    /** Slots of the by-array memo (a power of two): room for the seed's locations or products with few clashes. */
    static final int ARRAY_SLOTS = 1 << 13;

    private final Serde<V> decoded;
    private final Map<Content, V> remembered = new ConcurrentHashMap<>();
    /**
     * Direct-mapped by the array's identity hash; a clash replaces the slot. Read and written by any thread
     * without locks: a slot holds an immutable {@link Decoded} (final fields), so a reader sees a whole one or
     * an older one, and it only counts when its array is the very one being read.
     */
    private final Decoded<?>[] byArray = new Decoded<?>[ARRAY_SLOTS];

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
            int slot = System.identityHashCode(bytes) & (ARRAY_SLOTS - 1);
            Decoded<?> known = byArray[slot];
            if (known != null && known.bytes == bytes) {
                return cast(known.value);
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
            byArray[slot] = new Decoded<>(bytes, value);
            return value;
        };
    }

    @SuppressWarnings("unchecked")
    private static <V> V cast(Object value) {
        return (V) value;
    }

    /** One array as a store answered it, and what it decodes to. */
    private static final class Decoded<V> {
        final byte[] bytes;
        final V value;

        Decoded(byte[] bytes, V value) {
            this.bytes = bytes;
            this.value = value;
        }
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
