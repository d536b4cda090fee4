package io.channelstream.inventory;

import io.channelstream.events.InventoryPosition;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * How a position is kept in the positions store and its changelog: a fixed field order in plain binary
 * (strings as length + UTF-8), behind a one-byte format version. Not the topic's Avro wire format:
 * every movement reads a position and the SKU's other batches and writes one back, and on a profile
 * Avro's resolving decoder and encoder were a fifth of the stream thread's time. The store and its
 * changelog are the topology's own; what leaves it (the {@code inventory-positions} topic) is still
 * Avro in the Confluent wire format. Positions that earlier builds kept in that wire format (first
 * byte 0) are still read, so an existing state directory or changelog restores without a reset.
 *
 * <p>Adding a field to {@code InventoryPosition} means adding it here under a new format version;
 * {@code PositionStoreSerdeTest} fails until that is done.
 */
final class PositionStoreSerde implements Serde<InventoryPosition> {

    /** The first byte of Confluent's wire format, which earlier builds of this topology kept in the store. */
    static final byte WIRE_FORMAT_MAGIC = 0;
    static final byte FORMAT_V1 = 1;
    /** The fields of {@code InventoryPosition} that format 1 carries, in order. */
    static final int FIELDS_V1 = 13;

    private static final int NO_DATE = Integer.MIN_VALUE;

    private final Deserializer<InventoryPosition> wireFormat;

    /**
     * @param wireFormat reads positions that earlier builds kept in the topic's Avro wire format, so a state
     *                   directory or changelog written by them restores without a reset (rewritten on change)
     */
    PositionStoreSerde(Deserializer<InventoryPosition> wireFormat) {
        this.wireFormat = wireFormat;
    }

    @Override
    public Serializer<InventoryPosition> serializer() {
        return (topic, position) -> position == null ? null : write(position);
    }

    @Override
    public Deserializer<InventoryPosition> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            boolean earlierBuild = bytes.length > 0 && bytes[0] == WIRE_FORMAT_MAGIC;
            return earlierBuild ? wireFormat.deserialize(topic, bytes) : read(bytes);
        };
    }

    static byte[] write(InventoryPosition p) {
        byte[] eventId = utf8(p.getEventId());
        byte[] source = utf8(p.getSource());
        byte[] locationId = utf8(p.getLocationId());
        byte[] sku = utf8(p.getSku());
        byte[] batch = utf8(p.getBatch());
        byte[] lastMovement = p.getLastMovementEventId() == null ? null : utf8(p.getLastMovementEventId());
        int strings = 5 * Integer.BYTES + eventId.length + source.length + locationId.length + sku.length
                + batch.length + (lastMovement == null ? 0 : Integer.BYTES + lastMovement.length);
        // format, strings, occurredAt, 4 quantities, 2 dates, the has-last-movement flag: exactly this size
        ByteBuffer out = ByteBuffer.allocate(1 + strings + Long.BYTES + 4 * Long.BYTES + 2 * Integer.BYTES + 1);
        out.put(FORMAT_V1);
        putString(out, eventId);
        out.putLong(p.getOccurredAt().toEpochMilli());
        putString(out, source);
        putString(out, locationId);
        putString(out, sku);
        putString(out, batch);
        out.putLong(p.getOnHand());
        out.putLong(p.getReserved());
        out.putLong(p.getBlocked());
        out.putLong(p.getAvailable());
        out.putInt(p.getProductionDate() == null ? NO_DATE : (int) p.getProductionDate().toEpochDay());
        out.putInt(p.getExpiryDate() == null ? NO_DATE : (int) p.getExpiryDate().toEpochDay());
        out.put((byte) (lastMovement == null ? 0 : 1));
        if (lastMovement != null) {
            putString(out, lastMovement);
        }
        return out.array();
    }

    static InventoryPosition read(byte[] bytes) {
        return read(ByteBuffer.wrap(bytes));
    }

    /** A position in format 1 from {@code in}'s current place (a buffer over an array), leaving it after it. */
    static InventoryPosition read(ByteBuffer in) {
        try {
            byte format = in.get();
            if (format != FORMAT_V1) {
                throw new SerializationException("unknown position store format " + format);
            }
            // the constructor, not the builder: a builder would compute defaults for every unset field
            return new InventoryPosition(getString(in), Instant.ofEpochMilli(in.getLong()), getString(in),
                    getString(in), getString(in), getString(in), in.getLong(), in.getLong(), in.getLong(),
                    in.getLong(), date(in.getInt()), date(in.getInt()), in.get() == 1 ? getString(in) : null);
        } catch (BufferUnderflowException | IndexOutOfBoundsException e) {
            throw new SerializationException("truncated position in the store", e);
        }
    }

    private static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    private static void putString(ByteBuffer out, byte[] utf8) {
        out.putInt(utf8.length);
        out.put(utf8);
    }

    private static String getString(ByteBuffer in) {
        int length = in.getInt();
        String value = new String(in.array(), in.position(), length, StandardCharsets.UTF_8);
        in.position(in.position() + length);
        return value;
    }

    private static LocalDate date(int epochDay) {
        return epochDay == NO_DATE ? null : LocalDate.ofEpochDay(epochDay);
    }
}
