package io.channelstream.api.inventory;

import io.channelstream.events.InventoryPosition;
import io.channelstream.inventory.StockLevel;
import java.time.LocalDate;
import java.util.List;

/**
 * One SKU at one location as the API answers it.
 *
 * @param servedBy the instance whose store answered ({@code host:port})
 * @param stale    true when a standby copy answered during a rebalance (it may lag)
 */
public record StockLevelView(
        String locationId,
        String sku,
        long onHand,
        long reserved,
        long blocked,
        long available,
        List<BatchView> batches,
        String servedBy,
        boolean stale) {

    public record BatchView(String batch, long onHand, long reserved, long blocked, long available,
                            LocalDate productionDate, LocalDate expiryDate) {

        static BatchView of(InventoryPosition position) {
            return new BatchView(position.getBatch(), position.getOnHand(), position.getReserved(),
                    position.getBlocked(), position.getAvailable(), position.getProductionDate(),
                    position.getExpiryDate());
        }
    }

    static StockLevelView of(StockLevel level, String servedBy, boolean stale) {
        return new StockLevelView(level.locationId(), level.sku(), level.onHand(), level.reserved(),
                level.blocked(), level.available(), level.batches().stream().map(BatchView::of).toList(),
                servedBy, stale);
    }
}
