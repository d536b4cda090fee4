package io.channelstream.diversion;

import io.channelstream.schemas.AvroSerde;
import io.channelstream.schemas.InProcessSchemaRegistryClient;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The serde of the in-memory global stores, whose bytes never leave this JVM: the project's Avro serde
 * over a registry private to the store. The shared registry would be wrong there: Kafka Streams names a
 * global store's source topic as its "changelog", so the store's type would be registered under that
 * master-data topic's subject.
 *
 * <p>Decoding is remembered per exact byte content: master data changes rarely and is read for every scan
 * (the scanned location, the bound dealer's authorizations), and decoding the same Avro bytes again each
 * time showed on the stream thread's profile. Keyed by content, not by store key, so a changed record has
 * other bytes and is decoded afresh: a read never sees an outdated value. The decoded records are shared
 * between readers: they are read, never modified.
 *
 * <p>Before the content is hashed, the very array is looked up: an in-memory store hands out the array it keeps for a
 * key until the key is written again (Kafka Streams' {@code InMemoryKeyValueStore} neither copies nor changes it), so
 * the bytes of an unchanged record are found without hashing them (hashing a location's or a dealer's few hundred
 * bytes on each of a scan's reads showed on the profile). A new write is a new array, found by content or decoded.
 */
final class LocalAvroSerde<V extends SpecificRecord> implements Serde<V> {

    /** Above the seed's thousands of dealers and locations and tens of thousands of prices; past it, start over. */
    static final int MAX_REMEMBERED = 50_000;

    private final Serde<V> avro;
    private final Map<ByteBuffer, V> remembered = new ConcurrentHashMap<>();
    private final Map<SameArray, V> rememberedArrays = new ConcurrentHashMap<>();

    private LocalAvroSerde(Serde<V> avro) {
        this.avro = avro;
    }

    static <V extends SpecificRecord> Serde<V> of(Class<V> type) {
        return new LocalAvroSerde<>(new AvroSerde<>(new InProcessSchemaRegistryClient(), type, true));
    }

    @Override
    public Serializer<V> serializer() {
        return avro.serializer();
    }

    @Override
    public Deserializer<V> deserializer() {
        Deserializer<V> decoder = avro.deserializer();
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            SameArray array = new SameArray(bytes);
            V value = rememberedArrays.get(array);
            if (value != null) {
                return value;
            }
            ByteBuffer content = ByteBuffer.wrap(bytes);
            value = remembered.get(content);
            if (value == null) {
                value = decoder.deserialize(topic, bytes);
                if (remembered.size() >= MAX_REMEMBERED) {
                    remembered.clear();
                }
                remembered.put(content, value);
            }
            if (rememberedArrays.size() >= MAX_REMEMBERED) {
                rememberedArrays.clear();
            }
            rememberedArrays.put(array, value);
            return value;
        };
    }

    /** An array as a key by identity: the one object, whatever equal arrays there are. */
    private record SameArray(byte[] bytes) {
        @Override
        public boolean equals(Object other) {
            return other instanceof SameArray same && same.bytes == bytes;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(bytes);
        }
    }
}
