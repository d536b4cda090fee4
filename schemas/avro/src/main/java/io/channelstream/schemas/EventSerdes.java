package io.channelstream.schemas;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/** The serdes of the catalogued topics over one registry client: one value serde per topic, reused. */
public final class EventSerdes {

    private final SchemaRegistryClient registry;
    private final boolean autoRegister;
    private final Map<Topic<?>, Serde<?>> valueSerdes = new ConcurrentHashMap<>();

    public EventSerdes(SchemaRegistryClient registry, boolean autoRegister) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.autoRegister = autoRegister;
    }

    @SuppressWarnings("unchecked") // the map is filled only with a Serde<V> for a Topic<V>
    public <V extends SpecificRecord> Serde<V> value(Topic<V> topic) {
        return (Serde<V>) valueSerdes.computeIfAbsent(topic,
                t -> new AvroSerde<>(registry, topic.valueType(), autoRegister));
    }

    /** Keys are UTF-8 strings on every topic. */
    public Serde<String> key() {
        return Serdes.String();
    }

    public SchemaRegistryClient registry() {
        return registry;
    }
}
