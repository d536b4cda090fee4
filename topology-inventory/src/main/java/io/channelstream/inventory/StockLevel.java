package io.channelstream.inventory;

import io.channelstream.events.InventoryPosition;
import java.util.List;

/** One SKU at one location: the sum over its batches, with the batches themselves (earliest expiry first). */
public record StockLevel(
        String locationId,
        String sku,
        long onHand,
        long reserved,
        long blocked,
        long available,
        List<InventoryPosition> batches) {

    static StockLevel of(String locationId, String sku, List<InventoryPosition> batches) {
        long onHand = 0;
        long reserved = 0;
        long blocked = 0;
        long available = 0;
        for (InventoryPosition batch : batches) {
            onHand += batch.getOnHand();
            reserved += batch.getReserved();
            blocked += batch.getBlocked();
            available += batch.getAvailable();
        }
        return new StockLevel(locationId, sku, onHand, reserved, blocked, available, List.copyOf(batches));
    }
}
