package io.channelstream.api.inventory;

import io.channelstream.api.inventory.NetworkViews.HoldingView;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * The recall answer for one batch: whether it is locked, where it is held (on hand, reserved, blocked),
 * and every shipped trace code of it with its last known place.
 *
 * @param eventId           the lock or release event this answer follows (null for a plain GET)
 * @param complete          false when some inventory partitions did not answer (then listed as missing)
 * @param codesTotal        shipped codes of the batch in all (the list is paged by {@code codesAfter})
 * @param nextCodesAfter    pass as {@code codesAfter} for the next codes; null when all were listed
 */
public record RecallView(String sku, String batch, boolean locked, String eventId, List<HoldingView> holdings,
                         HoldingTotals totals, boolean complete, Set<Integer> missingPartitions,
                         long codesTotal, List<ShippedCode> shippedCodes, String nextCodesAfter) {

    public record HoldingTotals(long locations, long onHand, long reserved, long blocked) {

        static HoldingTotals of(List<HoldingView> holdings) {
            return new HoldingTotals(holdings.stream().map(HoldingView::locationId).distinct().count(),
                    holdings.stream().mapToLong(HoldingView::onHand).sum(),
                    holdings.stream().mapToLong(HoldingView::reserved).sum(),
                    holdings.stream().mapToLong(HoldingView::blocked).sum());
        }
    }

    /**
     * A unit (pallet, case, item) of the batch that left on a shipment, and its last known place: the
     * latest of where its last shipment took it and where it was last scanned.
     */
    public record ShippedCode(String code, String unitLevel, String lastShipmentId, String shippedFrom,
                              String shippedTo, Instant shippedAt, LastPlace lastKnownPlace) {}

    /**
     * @param how {@code SHIPPED_TO} or {@code SCANNED} (with the scanner's role, e.g. DEALER_RECEIPT, STORE_SALE)
     */
    public record LastPlace(String how, String scannerRole, String locationId, String regionCode, Instant at) {}
}
