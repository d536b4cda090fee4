package io.channelstream.inventory;

import io.channelstream.events.AlertType;
import io.channelstream.events.InventoryPosition;
import io.channelstream.events.LocationUpserted;
import io.channelstream.events.ProductUpserted;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The stock of the locations one task owns: per location × SKU one record ({@link SkuStock}) with the
 * position of each batch and the conditions currently alerted, plus the master data (locations, products,
 * locked batches) every task sees in full. Every change goes through here, so a changed position is always
 * published and its alerts always reviewed.
 */
final class StockLedger {

    private final ProcessorContext<String, SpecificRecord> context;
    private final KeyValueStore<String, SkuStock> stock;
    private final KeyValueStore<String, Long> networkIndex;
    private final KeyValueStore<String, LocationUpserted> locations;
    private final KeyValueStore<String, ProductUpserted> products;
    private final KeyValueStore<String, SpecificRecord> lockedBatches;
    private final InventoryAlerts alerts;

    StockLedger(ProcessorContext<String, SpecificRecord> context, InventoryRules rules) {
        this.context = context;
        this.stock = context.getStateStore(InventoryTopology.STOCK_STORE);
        this.networkIndex = context.getStateStore(InventoryTopology.NETWORK_INDEX_STORE);
        this.locations = context.getStateStore(InventoryTopology.LOCATIONS_STORE);
        this.products = context.getStateStore(InventoryTopology.PRODUCTS_STORE);
        this.lockedBatches = context.getStateStore(InventoryTopology.LOCKED_BATCHES_STORE);
        this.alerts = new InventoryAlerts(context, rules);
    }

    InventoryPosition position(String locationId, String sku, String batch) {
        SkuStock held = stock.get(InventoryTopology.stockKey(locationId, sku));
        return held == null ? null : held.batch(batch);
    }

    /** Every batch of a SKU at a location, earliest expiry first (the order stock is allocated in). */
    List<InventoryPosition> batchesOf(String locationId, String sku) {
        SkuStock held = stock.get(InventoryTopology.stockKey(locationId, sku));
        if (held == null) {
            return new ArrayList<>();
        }
        List<InventoryPosition> batches = new ArrayList<>(held.batches());
        batches.sort(EARLIEST_EXPIRY_FIRST);
        return batches;
    }

    boolean isLocked(String sku, String batch) {
        return lockedBatches.get(InventoryTopology.batchKey(sku, batch)) != null;
    }

    LocationUpserted location(String locationId) {
        return locations.get(locationId);
    }

    /** Stores the new position, publishes it, and raises or clears the alerts it changes. */
    void save(InventoryPosition position, long timestamp) {
        change(position.getLocationId(), position.getSku(), position.getBatch(), current -> position, timestamp);
    }

    /**
     * Changes one batch's position in one read and one write of the SKU's record: {@code next} gets the
     * current position (null when the batch was never held here) and answers the new one, which is stored,
     * published, and reviewed for alerts with the SKU's other batches.
     */
    InventoryPosition change(String locationId, String sku, String batch, UnaryOperator<InventoryPosition> next,
                             long timestamp) {
        String key = InventoryTopology.stockKey(locationId, sku);
        SkuStock held = stock.get(key);
        boolean firstHeld = held == null;
        if (firstHeld) {
            held = new SkuStock(locationId, sku);
        }
        InventoryPosition position = next.apply(held.batch(batch));
        held.put(position);
        context.forward(new Record<>(InventoryTopology.positionKey(locationId, sku, batch), position, timestamp));
        judge(held, timestamp, timestamp);
        stock.put(key, held);
        if (firstHeld) { // the index says where a SKU is held; it changes only when a location first holds it
            networkIndex.put(InventoryTopology.networkKey(sku, locationId), timestamp);
        }
        return position;
    }

    /** Re-judges safety stock of the SKU at the location and expiry of each of its batches. */
    void review(String locationId, String sku, long timestamp) {
        String key = InventoryTopology.stockKey(locationId, sku);
        SkuStock held = stock.get(key);
        if (held != null && judge(held, timestamp, timestamp)) {
            stock.put(key, held);
        }
    }

    /** Re-judges expiry of every position this task holds (batches age without events). */
    void reviewAllExpiries(long wallClockMillis) {
        List<KeyValue<String, SkuStock>> changed = new ArrayList<>();
        try (KeyValueIterator<String, SkuStock> all = stock.all()) {
            while (all.hasNext()) {
                KeyValue<String, SkuStock> entry = all.next();
                if (judgeExpiries(entry.value, location(entry.value.locationId()), wallClockMillis, wallClockMillis)) {
                    changed.add(entry);
                }
            }
        }
        // written after the scan, not under the open iterator
        changed.forEach(entry -> stock.put(entry.key, entry.value));
    }

    /** Units that may still be promised: on hand, not reserved, not in a locked batch. */
    long allocatable(InventoryPosition position) {
        if (isLocked(position.getSku(), position.getBatch())) {
            return 0;
        }
        return Math.max(0, position.getOnHand() - position.getReserved() - position.getBlocked());
    }

    /** Judges every condition of the SKU; true when one was raised or cleared (the record changed). */
    private boolean judge(SkuStock held, long timestamp, long today) {
        LocationUpserted location = locations.get(held.locationId());
        long available = 0;
        for (InventoryPosition batch : held.batches()) {
            available += allocatable(batch);
        }
        long availableUnits = available;
        Integer safetyStock = location == null ? null : location.getSafetyStockUnits();
        long wasRaised = held.safetyStockRaisedAt();
        long raised = alerts.judge(AlertType.BELOW_SAFETY_STOCK, safetyStock != null && available < safetyStock,
                wasRaised, location, held.locationId(), held.sku(), null, timestamp,
                () -> Map.of("availableUnits", Long.toString(availableUnits),
                        "safetyStockUnits", String.valueOf(safetyStock)));
        held.safetyStockRaisedAt(raised);
        boolean expiriesChanged = judgeExpiries(held, location, timestamp, today);
        return raised != wasRaised || expiriesChanged;
    }

    /** Judges nearing expiry of each batch, earliest expiry first (the order alerts were always raised in). */
    private boolean judgeExpiries(SkuStock held, LocationUpserted location, long timestamp, long todayMillis) {
        LocalDate today = alerts.today(todayMillis);
        ProductUpserted product = products.get(held.sku());
        int warningDays = product != null ? product.getExpiryWarningDays() : alerts.defaultExpiryWarningDays();
        boolean changed = false;
        for (int index : byExpiry(held)) {
            InventoryPosition batch = held.batchAt(index);
            if (batch.getExpiryDate() == null) {
                continue;
            }
            LocalDate warnFrom = batch.getExpiryDate().minusDays(warningDays);
            boolean nearing = batch.getOnHand() > 0 && !today.isBefore(warnFrom);
            long wasRaised = held.expiryRaisedAt(index);
            long raised = alerts.judge(AlertType.NEAR_EXPIRY, nearing, wasRaised, location, held.locationId(),
                    held.sku(), batch.getBatch(), timestamp,
                    () -> Map.of("expiryDate", batch.getExpiryDate().toString(),
                            "warningDays", Integer.toString(warningDays),
                            "onHandUnits", Long.toString(batch.getOnHand()),
                            "daysLeft", Long.toString(ChronoUnit.DAYS.between(today, batch.getExpiryDate()))));
            if (raised != wasRaised) {
                held.expiryRaisedAt(index, raised);
                changed = true;
            }
        }
        return changed;
    }

    /** Indexes of the SKU's batches, earliest expiry first. */
    private static int[] byExpiry(SkuStock held) {
        int n = held.size();
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        if (n > 1) {
            java.util.Arrays.sort(order, (a, b) -> EARLIEST_EXPIRY_FIRST.compare(held.batchAt(a), held.batchAt(b)));
        }
        int[] indexes = new int[n];
        for (int i = 0; i < n; i++) {
            indexes[i] = order[i];
        }
        return indexes;
    }

    static final Comparator<InventoryPosition> EARLIEST_EXPIRY_FIRST = Comparator
            .comparing(InventoryPosition::getExpiryDate, Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(InventoryPosition::getBatch);
}
