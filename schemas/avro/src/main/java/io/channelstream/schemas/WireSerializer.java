package io.channelstream.schemas;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes a SpecificRecord in Confluent's wire format. The schema id comes from the registry once per
 * (subject, schema), then from a cache. A null value is written as null: a tombstone.
 */
public final class WireSerializer<V extends SpecificRecord> implements Serializer<V> {

    /** What one writer schema needs: its id per subject and a reusable datum writer. */
    private static final class WriterSchema {
        final Schema registered;
        final DatumWriter<SpecificRecord> writer;
        final Map<String, Integer> idBySubject = new ConcurrentHashMap<>();

        WriterSchema(Schema schema, SpecificData model) {
            this.registered = WireFormat.withoutJavaHints(schema);
            this.writer = new SpecificDatumWriter<>(schema, model);
        }
    }

    private final SchemaRegistryClient registry;
    private final boolean autoRegister;
    private volatile boolean isKey;
    // one entry per generated class (its SCHEMA$); Schema caches its hash code, so lookups are cheap
    private final Map<Schema, WriterSchema> writers = new ConcurrentHashMap<>();

    /**
     * @param autoRegister register the record's schema when missing (dev, tests); otherwise only look it up, so
     *     a producer can never introduce a schema that was not released through the registry
     */
    public WireSerializer(SchemaRegistryClient registry, boolean autoRegister) {
        this(registry, autoRegister, false);
    }

    public WireSerializer(SchemaRegistryClient registry, boolean autoRegister, boolean isKey) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.autoRegister = autoRegister;
        this.isKey = isKey;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        this.isKey = isKey;
    }

    @Override
    public byte[] serialize(String topic, V value) {
        if (value == null) {
            return null;
        }
        Schema schema = value.getSchema();
        WriterSchema writerSchema = writers.computeIfAbsent(schema,
                s -> new WriterSchema(s, SpecificData.getForClass(value.getClass())));
        int id = schemaId(topic, writerSchema);
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(256);
            out.write(WireFormat.MAGIC_BYTE);
            out.write(ByteBuffer.allocate(4).putInt(id).array());
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            writerSchema.writer.write(value, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("topic '" + topic + "', schema id " + id + ": could not write "
                    + schema.getFullName() + " as Avro: " + e.getMessage(), e);
        }
    }

    private int schemaId(String topic, WriterSchema writerSchema) {
        String subject = WireFormat.subject(topic, isKey);
        Integer cached = writerSchema.idBySubject.get(subject);
        if (cached != null) {
            return cached;
        }
        try {
            int id = autoRegister
                    ? registry.register(subject, writerSchema.registered)
                    : registry.idOf(subject, writerSchema.registered);
            writerSchema.idBySubject.put(subject, id);
            return id;
        } catch (SchemaRegistryException e) {
            throw new SerializationException("topic '" + topic + "': no schema id for " + writerSchema.registered
                    .getFullName() + " under subject '" + subject + "' (" + (autoRegister ? "register" : "lookup only")
                    + "): " + e.getMessage(), e);
        }
    }
}
