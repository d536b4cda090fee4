package io.channelstream.schemas;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Conversion;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalType;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.Decoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * Reads Avro binary written with the reader's own schema straight off the decoder, without schema
 * resolution. Avro's {@code SpecificDatumReader} always decodes through a {@code ResolvingDecoder}, which
 * consults its grammar for every value even when writer and reader are the same schema; on a stream
 * thread's profile that was most of the cost of reading an event. When the writer schema differs (an older
 * version) {@link WireDeserializer} keeps resolving: this reader is used only when the two schemas have
 * the same Parsing Canonical Form, which fixes the binary layout exactly.
 *
 * <p>It builds what {@code SpecificDatumReader} over {@link ListArraysSpecificData} builds: the generated
 * classes, {@code String} strings, {@code ArrayList} arrays, {@code HashMap} maps, the generated enums, and
 * logical types converted as the generated class converts them (per field, else by the model).
 * {@code AvroSerdeTest} compares the two readers on a sample of every event type.
 */
final class SameSchemaReader<V> implements DatumReader<V> {

    private final Schema schema;
    private final SpecificData model;
    private final Map<Schema, Object[]> enumConstants = new IdentityHashMap<>();

    private SameSchemaReader(Schema schema, SpecificData model) {
        this.schema = schema;
        this.model = model;
    }

    /**
     * A reader for records written with {@code writer}, or null when it is not the reader's schema or the
     * reader's schema uses something this reader does not build exactly as Avro's would.
     */
    static <V> SameSchemaReader<V> ifSameSchema(Schema writer, Schema reader, SpecificData model) {
        if (SchemaNormalization.parsingFingerprint64(writer) != SchemaNormalization.parsingFingerprint64(reader)
                || !readsExactly(reader, new IdentityHashMap<>())) {
            return null;
        }
        SameSchemaReader<V> same = new SameSchemaReader<>(reader, model);
        same.collectEnums(reader, new IdentityHashMap<>());
        return same;
    }

    /** Strings and map keys as {@code String} (the generator's setting here); no type left to chance. */
    private static boolean readsExactly(Schema schema, Map<Schema, Boolean> seen) {
        if (seen.put(schema, Boolean.TRUE) != null) {
            return true;
        }
        return switch (schema.getType()) {
            case RECORD -> schema.getFields().stream().allMatch(f -> readsExactly(f.schema(), seen));
            case UNION -> schema.getTypes().stream().allMatch(s -> readsExactly(s, seen));
            case ARRAY -> readsExactly(schema.getElementType(), seen);
            case MAP -> isJavaString(schema) && readsExactly(schema.getValueType(), seen);
            case STRING -> isJavaString(schema);
            case ENUM, FIXED, BYTES, INT, LONG, FLOAT, DOUBLE, BOOLEAN, NULL -> true;
        };
    }

    private static boolean isJavaString(Schema schema) {
        return "String".equals(schema.getProp(GenericData.STRING_PROP));
    }

    private void collectEnums(Schema s, Map<Schema, Boolean> seen) {
        if (seen.put(s, Boolean.TRUE) != null) {
            return;
        }
        switch (s.getType()) {
            case RECORD -> s.getFields().forEach(f -> collectEnums(f.schema(), seen));
            case UNION -> s.getTypes().forEach(t -> collectEnums(t, seen));
            case ARRAY -> collectEnums(s.getElementType(), seen);
            case MAP -> collectEnums(s.getValueType(), seen);
            case ENUM -> {
                List<String> symbols = s.getEnumSymbols();
                Object[] constants = new Object[symbols.size()];
                for (int i = 0; i < constants.length; i++) {
                    constants[i] = model.createEnum(symbols.get(i), s);
                }
                enumConstants.put(s, constants);
            }
            default -> { }
        }
    }

    @Override
    public void setSchema(Schema schema) {
        throw new UnsupportedOperationException("fixed to " + this.schema.getFullName());
    }

    @Override
    @SuppressWarnings("unchecked")
    public V read(V reuse, Decoder in) throws IOException {
        return (V) read(schema, in);
    }

    /** A value of {@code s}, converted to its logical type's Java type when the model converts it. */
    private Object read(Schema s, Decoder in) throws IOException {
        Object raw = readRaw(s, in);
        LogicalType logicalType = s.getLogicalType();
        if (logicalType == null) {
            return raw;
        }
        Conversion<?> conversion = model.getConversionFor(logicalType);
        return conversion == null ? raw : Conversions.convertToLogicalType(raw, s, logicalType, conversion);
    }

    private Object readRaw(Schema s, Decoder in) throws IOException {
        return switch (s.getType()) {
            case RECORD -> readRecord(s, in);
            case UNION -> read(s.getTypes().get(in.readIndex()), in);
            case STRING -> in.readString();
            case LONG -> in.readLong();
            case INT -> in.readInt();
            case BOOLEAN -> in.readBoolean();
            case DOUBLE -> in.readDouble();
            case FLOAT -> in.readFloat();
            case NULL -> {
                in.readNull();
                yield null;
            }
            case ENUM -> enumConstants.get(s)[in.readEnum()];
            case ARRAY -> readArray(s, in);
            case MAP -> readMap(s, in);
            case BYTES -> in.readBytes(null);
            case FIXED -> {
                byte[] bytes = new byte[s.getFixedSize()];
                in.readFixed(bytes);
                yield model.createFixed(null, bytes, s);
            }
        };
    }

    private Object readRecord(Schema s, Decoder in) throws IOException {
        Object record = model.newRecord(null, s);
        SpecificRecordBase specific = record instanceof SpecificRecordBase base ? base : null;
        for (Schema.Field field : s.getFields()) {
            // as SpecificDatumReader: the generated class's conversion for the field, if it has one
            Conversion<?> conversion = specific == null ? null : specific.getConversion(field.pos());
            Object value = conversion != null
                    ? Conversions.convertToLogicalType(readRaw(field.schema(), in), field.schema(),
                            field.schema().getLogicalType(), conversion)
                    : readRaw(field.schema(), in);
            model.setField(record, field.name(), field.pos(), value);
        }
        return record;
    }

    private List<Object> readArray(Schema s, Decoder in) throws IOException {
        Schema element = s.getElementType();
        long count = in.readArrayStart();
        List<Object> values = new ArrayList<>((int) Math.min(count, 1024));
        while (count > 0) {
            for (long i = 0; i < count; i++) {
                values.add(read(element, in));
            }
            count = in.arrayNext();
        }
        return values;
    }

    private Map<String, Object> readMap(Schema s, Decoder in) throws IOException {
        Schema value = s.getValueType();
        long count = in.readMapStart();
        Map<String, Object> entries = new HashMap<>();
        while (count > 0) {
            for (long i = 0; i < count; i++) {
                entries.put(in.readString(), read(value, in));
            }
            count = in.mapNext();
        }
        return entries;
    }
}
