package io.channelstream.inventory;

import io.channelstream.events.InventoryPosition;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything the topology keeps about one SKU at one location, in one store record: the position of each
 * of its batches and which of its alert conditions are raised (below safety stock for the SKU, nearing
 * expiry per batch), each with when it was raised. One record because every change to a batch re-judges
 * the SKU over all its batches: kept per batch, a movement cost a range scan of the batches, a read per
 * condition and a write per store; kept together it costs one read and one write.
 *
 * <p>Mutable, owned by the one stream thread that reads it from the store and writes it back.
 */
final class SkuStock {

    /** A raised-at timestamp meaning "not raised". */
    static final long NOT_RAISED = Long.MIN_VALUE;

    private final String locationId;
    private final String sku;
    /** Positions in the order they were first received; few per SKU, so a list beats a map. */
    private final List<InventoryPosition> batches;
    private final List<Long> expiryRaisedAt;
    private long safetyStockRaisedAt;

    SkuStock(String locationId, String sku) {
        this(locationId, sku, NOT_RAISED, new ArrayList<>(4), new ArrayList<>(4));
    }

    SkuStock(String locationId, String sku, long safetyStockRaisedAt, List<InventoryPosition> batches,
             List<Long> expiryRaisedAt) {
        if (batches.size() != expiryRaisedAt.size()) {
            throw new IllegalArgumentException("one raised-at per batch");
        }
        this.locationId = locationId;
        this.sku = sku;
        this.safetyStockRaisedAt = safetyStockRaisedAt;
        this.batches = batches;
        this.expiryRaisedAt = expiryRaisedAt;
    }

    String locationId() {
        return locationId;
    }

    String sku() {
        return sku;
    }

    /** The batches in the order they were first held (callers sort as they need). */
    List<InventoryPosition> batches() {
        return batches;
    }

    int size() {
        return batches.size();
    }

    InventoryPosition batchAt(int index) {
        return batches.get(index);
    }

    /** The position of a batch, or null when the SKU never held it here. */
    InventoryPosition batch(String batch) {
        int index = indexOf(batch);
        return index < 0 ? null : batches.get(index);
    }

    /** Puts a batch's new position in place of its old one (or adds it). */
    void put(InventoryPosition position) {
        int index = indexOf(position.getBatch());
        if (index < 0) {
            batches.add(position);
            expiryRaisedAt.add(NOT_RAISED);
        } else {
            batches.set(index, position);
        }
    }

    long safetyStockRaisedAt() {
        return safetyStockRaisedAt;
    }

    void safetyStockRaisedAt(long raisedAt) {
        this.safetyStockRaisedAt = raisedAt;
    }

    long expiryRaisedAt(int index) {
        return expiryRaisedAt.get(index);
    }

    void expiryRaisedAt(int index, long raisedAt) {
        expiryRaisedAt.set(index, raisedAt);
    }

    int indexOf(String batch) {
        for (int i = 0; i < batches.size(); i++) {
            if (batches.get(i).getBatch().equals(batch)) {
                return i;
            }
        }
        return -1;
    }
}
