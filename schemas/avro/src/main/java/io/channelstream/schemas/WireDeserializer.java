package io.channelstream.schemas;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads Confluent's wire format into a SpecificRecord. The writer schema named by the header id is resolved
 * against the reader's schema, so records written with an older (BACKWARD compatible) schema are read by newer
 * code; a record written with the reader's own schema is read without resolution ({@link SameSchemaReader}).
 * Failures the record itself causes are {@link WireFormatException}s with a reason; a registry that cannot
 * be reached is a plain {@link SerializationException}, since retrying later may work.
 */
public final class WireDeserializer<V extends SpecificRecord> implements Deserializer<V> {

    static {
        // before any constructor: even resolving a reader schema to its class loads it by name
        EventClassTrust.ensureTrusted();
    }

    private static final ThreadLocal<BinaryDecoder> DECODER = new ThreadLocal<>();

    private final SchemaRegistryClient registry;
    private final Schema readerSchema;
    private final SpecificData model;
    // resolving a writer against the reader is costly; do it once per writer id
    private final Map<Integer, DatumReader<V>> readerByWriterId = new ConcurrentHashMap<>();

    public WireDeserializer(SchemaRegistryClient registry, Class<V> valueType) {
        this(registry, SpecificData.getForClass(valueType).getSchema(valueType), SpecificData.getForClass(valueType));
    }

    /** Reads into the generated class named by the reader schema, which must be on the classpath. */
    public WireDeserializer(SchemaRegistryClient registry, Schema readerSchema) {
        this(registry, readerSchema, SpecificData.getForSchema(readerSchema));
    }

    private WireDeserializer(SchemaRegistryClient registry, Schema readerSchema, SpecificData model) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.readerSchema = Objects.requireNonNull(readerSchema, "readerSchema");
        this.model = ListArraysSpecificData.basedOn(model);
    }

    @Override
    public V deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        if (data.length < WireFormat.HEADER_LENGTH || data[0] != WireFormat.MAGIC_BYTE) {
            throw new WireFormatException(WireFormatException.Reason.NOT_WIRE_FORMAT, topic, null, data.length
                    + " bytes starting 0x" + (data.length == 0 ? "" : String.format("%02x", data[0]))
                    + "; expected magic byte 0x00, a 4-byte schema id and Avro binary", null);
        }
        int id = ByteBuffer.wrap(data, 1, 4).getInt();
        DatumReader<V> reader = readerFor(topic, id);
        try {
            // a decoder over an array keeps nothing from one record to the next once reconfigured
            BinaryDecoder reused = DECODER.get();
            BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(data, WireFormat.HEADER_LENGTH,
                    data.length - WireFormat.HEADER_LENGTH, reused);
            if (decoder != reused) {
                DECODER.set(decoder);
            }
            return reader.read(null, decoder);
        } catch (IOException | RuntimeException e) {
            throw new WireFormatException(WireFormatException.Reason.UNREADABLE_AVRO, topic, id,
                    "cannot read as " + readerSchema.getFullName() + ": " + e, e);
        }
    }

    private DatumReader<V> readerFor(String topic, int id) {
        DatumReader<V> cached = readerByWriterId.get(id);
        if (cached != null) {
            return cached;
        }
        Schema writerSchema;
        try {
            writerSchema = registry.schemaById(id);
        } catch (SchemaRegistryException e) {
            if (e.isSchemaNotFound()) {
                throw new WireFormatException(WireFormatException.Reason.UNKNOWN_SCHEMA_ID, topic, id,
                        "the registry has no schema with this id: " + e.getMessage(), e);
            }
            throw new SerializationException("topic '" + topic + "', schema id " + id
                    + ": could not fetch the writer schema: " + e.getMessage(), e);
        }
        // written with the reader's own schema (the usual case): no resolution needed, see SameSchemaReader
        DatumReader<V> reader = SameSchemaReader.ifSameSchema(writerSchema, readerSchema, model);
        if (reader == null) {
            reader = new SpecificDatumReader<>(writerSchema, readerSchema, model);
        }
        readerByWriterId.putIfAbsent(id, reader);
        return reader;
    }
}
