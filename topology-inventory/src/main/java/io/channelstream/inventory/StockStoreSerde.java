package io.channelstream.inventory;

import io.channelstream.events.InventoryPosition;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * How one SKU's stock at one location ({@link SkuStock}) is kept in the stock store and its changelog:
 * a format byte (2), the location and SKU, when below-safety-stock was raised, then per batch its
 * position in the positions format of {@link PositionStoreSerde} (length first) and when its nearing
 * expiry was raised. A store format of the topology's own, like the positions format before it.
 */
final class StockStoreSerde implements Serde<SkuStock> {

    static final byte FORMAT_V2 = 2;

    @Override
    public Serializer<SkuStock> serializer() {
        return (topic, stock) -> stock == null ? null : write(stock);
    }

    @Override
    public Deserializer<SkuStock> deserializer() {
        return (topic, bytes) -> bytes == null ? null : read(bytes);
    }

    static byte[] write(SkuStock stock) {
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

    static SkuStock read(byte[] bytes) {
        if (bytes.length == 0 || bytes[0] != FORMAT_V2) {
            throw new SerializationException("unknown stock store format " + (bytes.length == 0 ? "(empty)" : bytes[0])
                    + ": the stock store keeps one record per location × SKU (format 2); state written by a build "
                    + "that kept one record per batch must be reset (docs/inventory.md, \"Store formats\")");
        }
        try {
            ByteBuffer in = ByteBuffer.wrap(bytes, 1, bytes.length - 1);
            String locationId = string(in);
            String sku = string(in);
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
        } catch (BufferUnderflowException | IndexOutOfBoundsException | IllegalArgumentException e) {
            throw new SerializationException("truncated stock record in the store", e);
        }
    }

    private static String string(ByteBuffer in) {
        int length = in.getInt();
        String value = new String(in.array(), in.position(), length, StandardCharsets.UTF_8);
        in.position(in.position() + length);
        return value;
    }
}
