package io.channelstream.schemas;

import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** Serde of one event type in Confluent's wire format; see {@link WireSerializer} and {@link WireDeserializer}. */
public final class AvroSerde<V extends SpecificRecord> implements Serde<V> {

    private final WireSerializer<V> serializer;
    private final WireDeserializer<V> deserializer;

    public AvroSerde(SchemaRegistryClient registry, Class<V> valueType, boolean autoRegister) {
        this.serializer = new WireSerializer<>(registry, autoRegister);
        this.deserializer = new WireDeserializer<>(registry, valueType);
    }

    public AvroSerde(SchemaRegistryClient registry, Schema readerSchema, boolean autoRegister) {
        this.serializer = new WireSerializer<>(registry, autoRegister);
        this.deserializer = new WireDeserializer<>(registry, readerSchema);
    }

    /** Kafka calls this with isKey = true when the serde is used for keys: the subject becomes {@code <topic>-key}. */
    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        serializer.configure(configs, isKey);
        deserializer.configure(configs, isKey);
    }

    @Override
    public Serializer<V> serializer() {
        return serializer;
    }

    @Override
    public Deserializer<V> deserializer() {
        return deserializer;
    }
}
