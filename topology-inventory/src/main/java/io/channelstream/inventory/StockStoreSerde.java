package io.channelstream.inventory;

import io.channelstream.events.InventoryPosition;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * How one SKU's stock at one location ({@link SkuStock}) is kept in the stock store and its changelog.
 *
 * <p>Format 3 (written): a format byte (3), the location and SKU, when below-safety-stock was raised, the
 * number of batches, then per batch a flags byte and the position's fields, without what the record already
 * says: its location and SKU (the SKU's own, flagged when a position carries others), the topology's source
 * name, and an event id of the form {@code position:<last movement>} (each flagged, and written in full when
 * it is not so); then when its nearing expiry was raised. Strings are a varint length and UTF-8, quantities
 * and dates zigzag varints. Every movement reads and writes its SKU's record and sends it to the changelog:
 * format 2 spelled out the location, the SKU and the source again in each batch, six strings per batch to
 * decode and about three times the bytes for RocksDB, the producer and the broker (docs/benchmarks.md).
 *
 * <p>Format 2 (read, so state written by the build before restores without a reset): a format byte (2), the
 * location and SKU, the safety-stock raise time, and per batch its position in the positions format of
 * {@link PositionStoreSerde} (length first) and its expiry raise time.
 */
final class StockStoreSerde implements Serde<SkuStock> {

    static final byte FORMAT_V2 = 2;
    static final byte FORMAT_V3 = 3;

    /** The source every position the topology builds names ({@code InventoryTopology.emptyPosition}). */
    static final String TOPOLOGY_SOURCE = "topology-inventory";
    static final String POSITION_EVENT_PREFIX = "position:";

    private static final int SAME_LOCATION = 1;
    private static final int SAME_SKU = 1 << 1;
    private static final int TOPOLOGY_SOURCE_FLAG = 1 << 2;
    private static final int HAS_LAST_MOVEMENT = 1 << 3;
    /** The event id is {@code position:} + the last movement's event id. */
    private static final int EVENT_ID_FROM_LAST_MOVEMENT = 1 << 4;
    private static final int HAS_PRODUCTION_DATE = 1 << 5;
    private static final int HAS_EXPIRY_DATE = 1 << 6;

    @Override
    public Serializer<SkuStock> serializer() {
        return (topic, stock) -> stock == null ? null : write(stock);
    }

    @Override
    public Deserializer<SkuStock> deserializer() {
        return (topic, bytes) -> bytes == null ? null : read(bytes);
    }

    static byte[] write(SkuStock stock) {
        Output out = OUTPUT.get();
        out.reset();
        out.put(FORMAT_V3);
        out.string(stock.locationId());
        out.string(stock.sku());
        out.fixedLong(stock.safetyStockRaisedAt());
        out.varint(stock.size());
        for (int i = 0; i < stock.size(); i++) {
            position(out, stock, stock.batchAt(i));
            out.fixedLong(stock.expiryRaisedAt(i));
        }
        return out.toByteArray();
    }

    private static void position(Output out, SkuStock stock, InventoryPosition p) {
        String lastMovement = p.getLastMovementEventId();
        boolean sameLocation = stock.locationId().equals(p.getLocationId());
        boolean sameSku = stock.sku().equals(p.getSku());
        boolean topologySource = TOPOLOGY_SOURCE.equals(p.getSource());
        boolean eventIdFromLastMovement = lastMovement != null && isPositionEventOf(p.getEventId(), lastMovement);
        int flags = (sameLocation ? SAME_LOCATION : 0) | (sameSku ? SAME_SKU : 0)
                | (topologySource ? TOPOLOGY_SOURCE_FLAG : 0) | (lastMovement != null ? HAS_LAST_MOVEMENT : 0)
                | (eventIdFromLastMovement ? EVENT_ID_FROM_LAST_MOVEMENT : 0)
                | (p.getProductionDate() != null ? HAS_PRODUCTION_DATE : 0)
                | (p.getExpiryDate() != null ? HAS_EXPIRY_DATE : 0);
        out.put((byte) flags);
        if (!eventIdFromLastMovement) {
            out.string(p.getEventId());
        }
        out.zigzag(p.getOccurredAt().toEpochMilli());
        if (!topologySource) {
            out.string(p.getSource());
        }
        if (!sameLocation) {
            out.string(p.getLocationId());
        }
        if (!sameSku) {
            out.string(p.getSku());
        }
        out.string(p.getBatch());
        out.zigzag(p.getOnHand());
        out.zigzag(p.getReserved());
        out.zigzag(p.getBlocked());
        out.zigzag(p.getAvailable());
        if (p.getProductionDate() != null) {
            out.zigzag(p.getProductionDate().toEpochDay());
        }
        if (p.getExpiryDate() != null) {
            out.zigzag(p.getExpiryDate().toEpochDay());
        }
        if (lastMovement != null) {
            out.string(lastMovement);
        }
    }

    private static boolean isPositionEventOf(String eventId, String lastMovement) {
        return eventId.length() == POSITION_EVENT_PREFIX.length() + lastMovement.length()
                && eventId.startsWith(POSITION_EVENT_PREFIX) && eventId.endsWith(lastMovement);
    }

    static SkuStock read(byte[] bytes) {
        if (bytes.length == 0 || (bytes[0] != FORMAT_V3 && bytes[0] != FORMAT_V2)) {
            throw new SerializationException("unknown stock store format " + (bytes.length == 0 ? "(empty)" : bytes[0])
                    + ": the stock store keeps one record per location × SKU (format 3, or 2 of the build before); "
                    + "state written by a build that kept one record per batch must be reset (docs/inventory.md, "
                    + "\"Store formats\")");
        }
        try {
            return bytes[0] == FORMAT_V3 ? readV3(new Input(bytes)) : readV2(bytes);
        } catch (BufferUnderflowException | IndexOutOfBoundsException | IllegalArgumentException e) {
            throw new SerializationException("truncated stock record in the store", e);
        }
    }

    private static SkuStock readV3(Input in) {
        in.position = 1;
        String locationId = in.string();
        String sku = in.string();
        long safetyStockRaisedAt = in.fixedLong();
        int count = in.varint();
        if (count < 0 || count > in.bytes.length) {
            throw new IllegalArgumentException("batch count " + count);
        }
        List<InventoryPosition> batches = new ArrayList<>(count + 1);
        List<Long> expiryRaisedAt = new ArrayList<>(count + 1);
        for (int i = 0; i < count; i++) {
            int flags = in.get();
            String eventId = (flags & EVENT_ID_FROM_LAST_MOVEMENT) != 0 ? null : in.string();
            Instant occurredAt = Instant.ofEpochMilli(in.zigzag());
            String source = (flags & TOPOLOGY_SOURCE_FLAG) != 0 ? TOPOLOGY_SOURCE : in.string();
            String positionLocation = (flags & SAME_LOCATION) != 0 ? locationId : in.string();
            String positionSku = (flags & SAME_SKU) != 0 ? sku : in.string();
            String batch = in.string();
            long onHand = in.zigzag();
            long reserved = in.zigzag();
            long blocked = in.zigzag();
            long available = in.zigzag();
            LocalDate production = (flags & HAS_PRODUCTION_DATE) != 0 ? LocalDate.ofEpochDay(in.zigzag()) : null;
            LocalDate expiry = (flags & HAS_EXPIRY_DATE) != 0 ? LocalDate.ofEpochDay(in.zigzag()) : null;
            String lastMovement = (flags & HAS_LAST_MOVEMENT) != 0 ? in.string() : null;
            if (eventId == null) {
                if (lastMovement == null) {
                    throw new IllegalArgumentException("an event id from a last movement that is not there");
                }
                eventId = POSITION_EVENT_PREFIX + lastMovement;
            }
            // the constructor, not the builder: a builder would compute defaults for every unset field
            batches.add(new InventoryPosition(eventId, occurredAt, source, positionLocation, positionSku, batch, onHand,
                    reserved, blocked, available, production, expiry, lastMovement));
            expiryRaisedAt.add(in.fixedLong());
        }
        return new SkuStock(locationId, sku, safetyStockRaisedAt, batches, expiryRaisedAt);
    }

    private static SkuStock readV2(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes, 1, bytes.length - 1);
        String locationId = v2String(in);
        String sku = v2String(in);
        long safetyStockRaisedAt = in.getLong();
        int count = in.getInt();
        List<InventoryPosition> batches = new ArrayList<>(count + 1);
        List<Long> expiryRaisedAt = new ArrayList<>(count + 1);
        for (int i = 0; i < count; i++) {
            int length = in.getInt();
            int end = in.position() + length;
            batches.add(PositionStoreSerde.read(in));
            in.position(end);
            expiryRaisedAt.add(in.getLong());
        }
        return new SkuStock(locationId, sku, safetyStockRaisedAt, batches, expiryRaisedAt);
    }

    /** Format 2, as the build before wrote it (kept for the tests that read it back). */
    static byte[] writeV2(SkuStock stock) {
        byte[] locationId = stock.locationId().getBytes(StandardCharsets.UTF_8);
        byte[] sku = stock.sku().getBytes(StandardCharsets.UTF_8);
        byte[][] positions = new byte[stock.size()][];
        int size = 1 + Integer.BYTES + locationId.length + Integer.BYTES + sku.length + Long.BYTES + Integer.BYTES;
        for (int i = 0; i < positions.length; i++) {
            positions[i] = PositionStoreSerde.write(stock.batchAt(i));
            size += Integer.BYTES + positions[i].length + Long.BYTES;
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        out.put(FORMAT_V2);
        out.putInt(locationId.length).put(locationId);
        out.putInt(sku.length).put(sku);
        out.putLong(stock.safetyStockRaisedAt());
        out.putInt(positions.length);
        for (int i = 0; i < positions.length; i++) {
            out.putInt(positions[i].length).put(positions[i]);
            out.putLong(stock.expiryRaisedAt(i));
        }
        return out.array();
    }

    private static String v2String(ByteBuffer in) {
        int length = in.getInt();
        String value = new String(in.array(), in.position(), length, StandardCharsets.UTF_8);
        in.position(in.position() + length);
        return value;
    }

    private static final ThreadLocal<Output> OUTPUT = ThreadLocal.withInitial(Output::new);

    /** One thread's growable write buffer; each record is copied out of it at its exact length. */
    private static final class Output {
        // a rare huge record must not pin its buffer to the thread for good
        private static final int KEPT_BYTES = 1 << 16;

        private byte[] buffer = new byte[512];
        private int length;

        void reset() {
            if (buffer.length > KEPT_BYTES) {
                buffer = new byte[512];
            }
            length = 0;
        }

        byte[] toByteArray() {
            return Arrays.copyOf(buffer, length);
        }

        void put(byte b) {
            ensure(1);
            buffer[length++] = b;
        }

        void fixedLong(long value) {
            ensure(Long.BYTES);
            for (int shift = 56; shift >= 0; shift -= 8) {
                buffer[length++] = (byte) (value >>> shift);
            }
        }

        void varint(long value) {
            ensure(10);
            while ((value & ~0x7FL) != 0) {
                buffer[length++] = (byte) ((value & 0x7F) | 0x80);
                value >>>= 7;
            }
            buffer[length++] = (byte) value;
        }

        void zigzag(long value) {
            varint((value << 1) ^ (value >> 63));
        }

        void string(String value) {
            byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
            varint(utf8.length);
            ensure(utf8.length);
            System.arraycopy(utf8, 0, buffer, length, utf8.length);
            length += utf8.length;
        }

        private void ensure(int more) {
            if (length + more > buffer.length) {
                buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + more));
            }
        }
    }

    /** Reads format 3; running past the end is an {@link IndexOutOfBoundsException} (a truncated record). */
    private static final class Input {
        final byte[] bytes;
        int position;

        Input(byte[] bytes) {
            this.bytes = bytes;
        }

        int get() {
            return bytes[position++] & 0xFF;
        }

        long fixedLong() {
            long value = 0;
            for (int i = 0; i < Long.BYTES; i++) {
                value = (value << 8) | (bytes[position++] & 0xFF);
            }
            return value;
        }

        long varlong() {
            long value = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                byte b = bytes[position++];
                value |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return value;
                }
            }
            throw new IllegalArgumentException("varint longer than 10 bytes");
        }

        int varint() {
            long value = varlong();
            if (value > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("length " + value);
            }
            return (int) value;
        }

        long zigzag() {
            long raw = varlong();
            return (raw >>> 1) ^ -(raw & 1);
        }

        String string() {
            int length = varint();
            if (length > bytes.length - position) {
                throw new IndexOutOfBoundsException("string of " + length + " bytes past the record's end");
            }
            String value = new String(bytes, position, length, StandardCharsets.UTF_8);
            position += length;
            return value;
        }
    }
}
