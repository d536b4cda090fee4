package io.channelstream.api.inventory;

import io.channelstream.events.InventoryPosition;
import io.channelstream.inventory.NetworkReads;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What the network view answers: a SKU (or one batch of it) across every location the caller may see. */
public final class NetworkViews {

    private NetworkViews() {
    }

    /** One batch at one location, with where the location lies and who operates it. */
    public record HoldingView(String locationId, String locationName, String locationKind, String regionCode,
                              String dealerId, String sku, String batch, LocalDate productionDate,
                              LocalDate expiryDate, long onHand, long reserved, long blocked, long available) {

        static HoldingView of(NetworkReads.Holding holding) {
            InventoryPosition position = holding.position();
            return new HoldingView(holding.locationId(), holding.locationName(), holding.locationKind(),
                    holding.regionCode(), holding.dealerId(), position.getSku(), position.getBatch(),
                    position.getProductionDate(), position.getExpiryDate(), position.getOnHand(),
                    position.getReserved(), position.getBlocked(), position.getAvailable());
        }

        /** The same holding under a recall lock: everything not already promised is blocked. */
        HoldingView locked() {
            long blockedNow = Math.max(0, onHand - reserved);
            return new HoldingView(locationId, locationName, locationKind, regionCode, dealerId, sku, batch,
                    productionDate, expiryDate, onHand, reserved, blockedNow, 0);
        }
    }

    /**
     * One instance's share, as another instance asks for it.
     *
     * @param servedPartitions  partitions this instance answered from their active copy
     * @param refusedPartitions partitions it did not answer for (owned elsewhere, a standby here, or migrating)
     */
    public record ShareView(String servedBy, Set<Integer> servedPartitions, Map<Integer, String> refusedPartitions,
                            List<HoldingView> holdings) {}

    /** One location's stock of the SKU, summed over its batches (earliest expiry first). */
    public record LocationStockView(String locationId, String locationName, String locationKind, String regionCode,
                                    String dealerId, long onHand, long reserved, long blocked, long available,
                                    List<HoldingView> batches) {

        static LocationStockView of(List<HoldingView> batches) {
            HoldingView first = batches.get(0);
            long onHand = 0;
            long reserved = 0;
            long blocked = 0;
            long available = 0;
            for (HoldingView batch : batches) {
                onHand += batch.onHand();
                reserved += batch.reserved();
                blocked += batch.blocked();
                available += batch.available();
            }
            return new LocationStockView(first.locationId(), first.locationName(), first.locationKind(),
                    first.regionCode(), first.dealerId(), onHand, reserved, blocked, available, batches);
        }
    }

    /** Sums over every matching location, not only this page. */
    public record Totals(long locations, long onHand, long reserved, long blocked, long available) {}

    /**
     * A page of the network view, locations in id order.
     *
     * @param total              matching locations across the network (all pages)
     * @param nextCursor         pass as {@code cursor} for the next page; null on the last page
     * @param complete           false when some partitions did not answer (only with {@code acceptPartial=true})
     * @param missingPartitions  partitions whose stock is not in this answer
     * @param servedBy           instances that contributed
     */
    public record NetworkPage(String sku, String batch, String region, String dealerId, List<LocationStockView> items,
                              long total, Totals totals, String nextCursor, boolean complete,
                              Set<Integer> missingPartitions, List<String> servedBy) {}
}
