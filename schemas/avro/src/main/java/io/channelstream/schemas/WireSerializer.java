package io.channelstream.schemas;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
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
 *
 * <p>Each thread writes through a buffer and a buffered Avro encoder of its own, reused from record to
 * record: a new stream, encoder and header array per record was most of what a write cost on a stream
 * thread's profile. Avro's binary encoding does not depend on the encoder used, so the bytes are the same
 * as a fresh direct encoder writes.
 */
public final class WireSerializer<V extends SpecificRecord> implements Serializer<V> {

    /** What one writer schema needs: its id per subject and a reusable datum writer. */
    private static final class WriterSchema {
        final Schema registered;
        final DatumWriter<SpecificRecord> writer;
        final Map<String, Integer> idBySubject = new ConcurrentHashMap<>();
        // the id per topic, so the subject name is not built again for every record
        final Map<String, Integer> idByTopic = new ConcurrentHashMap<>();

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
        writers.values().forEach(writer -> writer.idByTopic.clear()); // the subjects are others now
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
        Scratch scratch = SCRATCH.get();
        try {
            scratch.startRecord(id);
            BinaryEncoder encoder = scratch.encoder();
            writerSchema.writer.write(value, encoder);
            encoder.flush();
            return scratch.toByteArray();
        } catch (IOException | RuntimeException e) {
            scratch.encoder = null; // it may hold part of the failed record: the next write starts afresh
            throw new SerializationException("topic '" + topic + "', schema id " + id + ": could not write "
                    + schema.getFullName() + " as Avro: " + e.getMessage(), e);
        } finally {
            scratch.release();
        }
    }

    private int schemaId(String topic, WriterSchema writerSchema) {
        Integer known = writerSchema.idByTopic.get(topic);
        if (known != null) {
            return known;
        }
        int id = schemaIdOfSubject(topic, writerSchema);
        writerSchema.idByTopic.put(topic, id);
        return id;
    }

    private int schemaIdOfSubject(String topic, WriterSchema writerSchema) {
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

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /** One thread's reusable output: a growable byte buffer (not synchronized, unlike ByteArrayOutputStream). */
    private static final class Scratch extends OutputStream {
        private static final int INITIAL_BYTES = 512;
        // a rare huge record must not pin its buffer to the thread for good
        private static final int KEPT_BYTES = 1 << 20;

        private byte[] buffer = new byte[INITIAL_BYTES];
        private int length;
        /** Buffered, over this stream; empty after each flush, so it carries nothing from record to record. */
        BinaryEncoder encoder;

        BinaryEncoder encoder() {
            if (encoder == null) {
                encoder = EncoderFactory.get().binaryEncoder(this, null);
            }
            return encoder;
        }

        void startRecord(int schemaId) {
            length = 0;
            ensure(WireFormat.HEADER_LENGTH);
            buffer[0] = WireFormat.MAGIC_BYTE;
            buffer[1] = (byte) (schemaId >>> 24);
            buffer[2] = (byte) (schemaId >>> 16);
            buffer[3] = (byte) (schemaId >>> 8);
            buffer[4] = (byte) schemaId;
            length = WireFormat.HEADER_LENGTH;
        }

        byte[] toByteArray() {
            return Arrays.copyOf(buffer, length);
        }

        void release() {
            length = 0;
            if (buffer.length > KEPT_BYTES) {
                buffer = new byte[INITIAL_BYTES];
            }
        }

        @Override
        public void write(int b) {
            ensure(1);
            buffer[length++] = (byte) b;
        }

        @Override
        public void write(byte[] bytes, int offset, int count) {
            ensure(count);
            System.arraycopy(bytes, offset, buffer, length, count);
            length += count;
        }

        private void ensure(int more) {
            if (length + more > buffer.length) {
                buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + more));
            }
        }
    }
}
