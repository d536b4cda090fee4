package io.channelstream.diversion;

import io.channelstream.events.BindingCause;
import io.channelstream.events.CodeBinding;
import io.channelstream.events.CodeLevel;
import io.channelstream.events.CodeSighting;
import io.channelstream.events.CodeTrail;
import io.channelstream.events.SightingVerdict;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * How a code's trail is kept in {@code diversion-code-trails} and its changelog: plain binary in a fixed field
 * order behind a one-byte format version, every distinct string written once (a table up front, then references
 * by index). Not the Avro wire format: every scan reads its code's trail and writes it back, and on a profile the
 * Avro decoding and encoding of trails was the largest share of the stream thread's time. A case's trail repeats
 * the same strings many times (the case code in each binding, the same item codes in the {@code contents} of each
 * binding, the topology's name as {@code source}), which the table writes once. What leaves the topology (alerts)
 * is still Avro in the Confluent wire format. Trails that earlier builds kept in that wire format (first byte 0)
 * are still read, so a state directory or changelog restores without a reset (rewritten at the next change).
 *
 * <p>Adding a field to {@code CodeTrail}, {@code CodeBinding} or {@code CodeSighting}, or a symbol to one of their
 * enums, means a new format version here; {@code CodeTrailStoreSerdeTest} fails until that is done.
 */
final class CodeTrailStoreSerde implements Serde<CodeTrail> {

    /** The first byte of Confluent's wire format, in which earlier builds kept trails. */
    static final byte WIRE_FORMAT_MAGIC = 0;
    static final byte FORMAT_V1 = 1;
    /** Fields of CodeTrail, CodeBinding and CodeSighting that format 1 carries. */
    static final int TRAIL_FIELDS_V1 = 5;
    static final int BINDING_FIELDS_V1 = 20;
    static final int SIGHTING_FIELDS_V1 = 10;

    private static final CodeLevel[] LEVELS = CodeLevel.values();
    private static final BindingCause[] CAUSES = BindingCause.values();
    private static final SightingVerdict[] VERDICTS = SightingVerdict.values();

    private final Deserializer<CodeTrail> wireFormat;

    /**
     * @param wireFormat reads trails that earlier builds kept in the Avro wire format, so their state restores
     */
    CodeTrailStoreSerde(Deserializer<CodeTrail> wireFormat) {
        this.wireFormat = wireFormat;
    }

    @Override
    public Serializer<CodeTrail> serializer() {
        return (topic, trail) -> trail == null ? null : write(trail);
    }

    @Override
    public Deserializer<CodeTrail> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            boolean earlierBuild = bytes.length > 0 && bytes[0] == WIRE_FORMAT_MAGIC;
            return earlierBuild ? wireFormat.deserialize(topic, bytes) : read(bytes);
        };
    }

    // --- writing ---------------------------------------------------------------------------------------------

    static byte[] write(CodeTrail trail) {
        // the body first (strings become indices, each new one appended to the table as it is met), then the version
        // and the table's size in front of both; the buffers and the table are the thread's own, reused from one
        // write to the next, and only the result is a new array
        Strings strings = STRINGS.get().reset();
        Output body = BODY.get().reset();
        body.varint(strings.index(trail.getCode()));
        Instant deadline = trail.getUnboundDeadline();
        body.bool(deadline != null);
        if (deadline != null) {
            body.varlong(deadline.toEpochMilli());
        }
        stringList(body, strings, trail.getRaisedConditions());
        body.varint(trail.getBindings().size());
        for (CodeBinding b : trail.getBindings()) {
            body.varint(strings.index(b.getEventId()));
            body.varlong(b.getOccurredAt().toEpochMilli());
            body.varint(strings.index(b.getSource()));
            body.varint(strings.index(b.getCode()));
            body.put((byte) b.getLevel().ordinal());
            body.varint(strings.nullable(b.getParentCode()));
            body.varint(strings.nullable(b.getSku()));
            body.varint(strings.nullable(b.getBatch()));
            body.varint(b.getUnits());
            body.put((byte) b.getCause().ordinal());
            body.varint(strings.index(b.getReference()));
            body.varint(strings.nullable(b.getShipmentId()));
            body.varint(strings.nullable(b.getFromLocationId()));
            body.varint(strings.index(b.getToLocationId()));
            body.varint(strings.nullable(b.getDealerId()));
            stringList(body, strings, b.getBoundRegionCodes());
            body.nullableDouble(b.getBoundLatitude());
            body.nullableDouble(b.getBoundLongitude());
            stringList(body, strings, b.getContents());
            body.varint(strings.nullable(b.getInheritedFrom()));
        }
        body.varint(trail.getSightings().size());
        for (CodeSighting s : trail.getSightings()) {
            body.varint(strings.index(s.getScanEventId()));
            body.varlong(s.getOccurredAt().toEpochMilli());
            body.varint(strings.nullable(s.getPlaceLocationId()));
            body.varint(strings.index(s.getRegionCode()));
            body.putDouble(s.getLatitude());
            body.putDouble(s.getLongitude());
            body.bool(s.getPositionApproximate());
            body.varint(strings.index(s.getScannerRole()));
            Long price = s.getUnitPriceFen();
            body.bool(price != null);
            if (price != null) {
                body.varlong(price);
            }
            body.put((byte) s.getVerdict().ordinal());
        }
        Output header = HEADER.get().reset();
        header.put(FORMAT_V1);
        header.varint(strings.size());
        Output table = strings.table;
        byte[] result = new byte[header.size() + table.size() + body.size()];
        System.arraycopy(header.buffer, 0, result, 0, header.size());
        System.arraycopy(table.buffer, 0, result, header.size(), table.size());
        System.arraycopy(body.buffer, 0, result, header.size() + table.size(), body.size());
        return result;
    }

    private static final ThreadLocal<Output> BODY = ThreadLocal.withInitial(() -> new Output(4096));
    private static final ThreadLocal<Output> HEADER = ThreadLocal.withInitial(() -> new Output(16));
    private static final ThreadLocal<Strings> STRINGS = ThreadLocal.withInitial(Strings::new);

    private static void stringList(Output out, Strings strings, List<String> values) {
        out.varint(values.size());
        for (String value : values) {
            out.varint(strings.index(value));
        }
    }

    /**
     * The strings of one trail, each once by content, in order of first use, already written as the table's entries
     * (UTF-8 length, then the bytes). An open-addressing table of the strings met so far, reused by the writing thread
     * from one trail to the next (a {@code HashMap} per write, resized two or three times as a trail's strings came in,
     * was the larger part of a write on the profile). A string is looked up by a hash of its length and last
     * characters only: the strings of a trail read from the store are new objects whose full hash would be computed
     * afresh on every write (hashing the long Digital Link codes showed on the profile), and codes that differ,
     * differ in their serial at the end. The same object is found at once (the strings of a trail read from the
     * store are shared by every field that repeats them); equal hashes are told apart by {@link String#equals}.
     */
    private static final class Strings {
        private static final int HASHED_CHARS = 12;
        private static final int INITIAL_SLOTS = 128;

        final Output table = new Output(4096);
        private String[] slotValues = new String[INITIAL_SLOTS];
        private int[] slotHashes = new int[INITIAL_SLOTS];
        private int[] slotIndices = new int[INITIAL_SLOTS];
        /** The slots taken, in order of first use: what {@link #reset} clears. */
        private int[] takenSlots = new int[INITIAL_SLOTS / 2];
        private int size;

        Strings reset() {
            for (int i = 0; i < size; i++) {
                slotValues[takenSlots[i]] = null;
            }
            size = 0;
            table.reset();
            return this;
        }

        int size() {
            return size;
        }

        int index(String value) {
            if (value == null) {
                throw new SerializationException("a required string field of the trail is null");
            }
            int hash = tailHash(value);
            int mask = slotValues.length - 1;
            int slot = spread(hash) & mask;
            for (String known = slotValues[slot]; known != null; known = slotValues[slot]) {
                if (known == value || (slotHashes[slot] == hash && known.equals(value))) {
                    return slotIndices[slot];
                }
                slot = (slot + 1) & mask;
            }
            slotValues[slot] = value;
            slotHashes[slot] = hash;
            slotIndices[slot] = size;
            takenSlots[size] = slot;
            table.utf8(value);
            size++;
            if (size * 2 >= slotValues.length) {
                grow();
            }
            return size - 1;
        }

        /** 0 for null, else the index plus one. */
        int nullable(String value) {
            return value == null ? 0 : index(value) + 1;
        }

        /** Twice the slots, so the table stays under half full (short probes, and room in {@code takenSlots}). */
        private void grow() {
            String[] values = slotValues;
            int[] hashes = slotHashes;
            int[] indices = slotIndices;
            int[] taken = takenSlots;
            slotValues = new String[values.length * 2];
            slotHashes = new int[values.length * 2];
            slotIndices = new int[values.length * 2];
            takenSlots = new int[values.length];
            int mask = slotValues.length - 1;
            for (int i = 0; i < size; i++) {
                int old = taken[i];
                int slot = spread(hashes[old]) & mask;
                while (slotValues[slot] != null) {
                    slot = (slot + 1) & mask;
                }
                slotValues[slot] = values[old];
                slotHashes[slot] = hashes[old];
                slotIndices[slot] = indices[old];
                takenSlots[i] = slot;
            }
        }

        private static int tailHash(String value) {
            int length = value.length();
            int h = length;
            for (int i = Math.max(0, length - HASHED_CHARS); i < length; i++) {
                h = 31 * h + value.charAt(i);
            }
            return h;
        }

        private static int spread(int hash) {
            int h = hash * 0x9E3779B9;
            return h ^ (h >>> 16);
        }
    }

    // --- reading ---------------------------------------------------------------------------------------------

    static CodeTrail read(byte[] bytes) {
        try {
            Input in = new Input(bytes);
            byte format = in.get();
            if (format != FORMAT_V1) {
                throw new SerializationException("unknown code trail store format " + format);
            }
            String[] table = new String[in.varint()];
            for (int i = 0; i < table.length; i++) {
                table[i] = in.utf8(in.varint());
            }
            String code = table[in.varint()];
            Instant deadline = in.bool() ? Instant.ofEpochMilli(in.varlong()) : null;
            List<String> raised = stringList(in, table);
            int bindingCount = in.varint();
            List<CodeBinding> bindings = new ArrayList<>(bindingCount);
            for (int i = 0; i < bindingCount; i++) {
                // the constructor, not the builder: a builder validates and defaults every field again
                bindings.add(new CodeBinding(table[in.varint()], Instant.ofEpochMilli(in.varlong()), table[in.varint()],
                        table[in.varint()], LEVELS[in.get()], nullable(in, table), nullable(in, table),
                        nullable(in, table), in.varint(), CAUSES[in.get()], table[in.varint()], nullable(in, table),
                        nullable(in, table), table[in.varint()], nullable(in, table), stringList(in, table),
                        in.nullableDouble(), in.nullableDouble(), stringList(in, table), nullable(in, table)));
            }
            int sightingCount = in.varint();
            List<CodeSighting> sightings = new ArrayList<>(sightingCount);
            for (int i = 0; i < sightingCount; i++) {
                sightings.add(new CodeSighting(table[in.varint()], Instant.ofEpochMilli(in.varlong()),
                        nullable(in, table), table[in.varint()], in.getDouble(), in.getDouble(), in.bool(),
                        table[in.varint()], in.bool() ? in.varlong() : null, VERDICTS[in.get()]));
            }
            if (in.remaining() != 0) {
                throw new SerializationException("code trail has " + in.remaining() + " bytes past its end");
            }
            return new CodeTrail(code, bindings, sightings, raised, deadline);
        } catch (IndexOutOfBoundsException e) {
            throw new SerializationException("truncated or corrupt code trail in the store", e);
        }
    }

    private static String nullable(Input in, String[] table) {
        int index = in.varint();
        return index == 0 ? null : table[index - 1];
    }

    private static List<String> stringList(Input in, String[] table) {
        int size = in.varint();
        if (size == 0) {
            return List.of();
        }
        String[] values = new String[size];
        for (int i = 0; i < size; i++) {
            values[i] = table[in.varint()];
        }
        return Arrays.asList(values);
    }

    // --- bytes -----------------------------------------------------------------------------------------------

    /** A growable byte buffer with unsigned LEB128 varints. */
    private static final class Output {
        byte[] buffer;
        int size;

        Output(int capacity) {
            buffer = new byte[Math.max(16, capacity)];
        }

        int size() {
            return size;
        }

        Output reset() {
            size = 0;
            return this;
        }

        private void room(int more) {
            if (size + more > buffer.length) {
                buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + more));
            }
        }

        void put(byte value) {
            room(1);
            buffer[size++] = value;
        }

        void put(byte[] bytes, int length) {
            room(length);
            System.arraycopy(bytes, 0, buffer, size, length);
            size += length;
        }

        void bool(boolean value) {
            put((byte) (value ? 1 : 0));
        }

        void varint(int value) {
            if (value < 0) {
                throw new SerializationException("negative count or index " + value);
            }
            varlong(value);
        }

        /** Unsigned LEB128 of the zigzag encoding, so negative times and prices stay short too. */
        void varlong(long value) {
            long zigzag = (value << 1) ^ (value >> 63);
            room(10);
            while ((zigzag & ~0x7FL) != 0) {
                buffer[size++] = (byte) ((zigzag & 0x7F) | 0x80);
                zigzag >>>= 7;
            }
            buffer[size++] = (byte) zigzag;
        }

        void putDouble(double value) {
            long bits = Double.doubleToRawLongBits(value);
            room(8);
            for (int shift = 56; shift >= 0; shift -= 8) {
                buffer[size++] = (byte) (bits >>> shift);
            }
        }

        void nullableDouble(Double value) {
            bool(value != null);
            if (value != null) {
                putDouble(value);
            }
        }

        /** The string's UTF-8 length as a varint, then its UTF-8 bytes (ASCII copied without an array of its own). */
        void utf8(String value) {
            int length = value.length();
            for (int i = 0; i < length; i++) {
                if (value.charAt(i) >= 0x80) {
                    byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
                    varint(utf8.length);
                    put(utf8, utf8.length);
                    return;
                }
            }
            varint(length);
            room(length);
            for (int i = 0; i < length; i++) {
                buffer[size++] = (byte) value.charAt(i);
            }
        }

    }

    private static final class Input {
        private final byte[] bytes;
        private int position;

        Input(byte[] bytes) {
            this.bytes = bytes;
        }

        byte get() {
            return bytes[position++];
        }

        boolean bool() {
            return get() != 0;
        }

        int varint() {
            long value = varlong();
            if (value < 0 || value > Integer.MAX_VALUE) {
                throw new SerializationException("corrupt count or index " + value + " in a code trail");
            }
            return (int) value;
        }

        long varlong() {
            long zigzag = 0;
            int shift = 0;
            byte b;
            do {
                if (shift > 63) {
                    throw new SerializationException("varint too long in a code trail");
                }
                b = get();
                zigzag |= (long) (b & 0x7F) << shift;
                shift += 7;
            } while ((b & 0x80) != 0);
            return (zigzag >>> 1) ^ -(zigzag & 1);
        }

        double getDouble() {
            long bits = 0;
            for (int i = 0; i < 8; i++) {
                bits = (bits << 8) | (get() & 0xFF);
            }
            return Double.longBitsToDouble(bits);
        }

        Double nullableDouble() {
            return bool() ? getDouble() : null;
        }

        String utf8(int length) {
            if (length > bytes.length - position) {
                throw new SerializationException("string runs past the end of a code trail");
            }
            String value = new String(bytes, position, length, StandardCharsets.UTF_8);
            position += length;
            return value;
        }

        int remaining() {
            return bytes.length - position;
        }
    }
}
