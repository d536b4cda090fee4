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
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The stock of the locations one task owns: positions per batch, the conditions currently alerted,
 * and the master data (locations, products, locked batches) every task sees in full. Every change
 * goes through here, so a changed position is always published and its alerts always reviewed.
 */
final class StockLedger {

    private static final String HIGH = "\uffff";

    private final ProcessorContext<String, SpecificRecord> context;
    private final KeyValueStore<String, InventoryPosition> positions;
    private final KeyValueStore<String, InventoryPosition> networkIndex;
    private final KeyValueStore<String, LocationUpserted> locations;
    private final KeyValueStore<String, ProductUpserted> products;
    private final KeyValueStore<String, SpecificRecord> lockedBatches;
    private final InventoryAlerts alerts;

    StockLedger(ProcessorContext<String, SpecificRecord> context, InventoryRules rules) {
        this.context = context;
        this.positions = context.getStateStore(InventoryTopology.POSITIONS_STORE);
        this.networkIndex = context.getStateStore(InventoryTopology.NETWORK_INDEX_STORE);
        this.locations = context.getStateStore(InventoryTopology.LOCATIONS_STORE);
        this.products = context.getStateStore(InventoryTopology.PRODUCTS_STORE);
        this.lockedBatches = context.getStateStore(InventoryTopology.LOCKED_BATCHES_STORE);
        this.alerts = new InventoryAlerts(context, rules);
    }

    InventoryPosition position(String locationId, String sku, String batch) {
        return positions.get(InventoryTopology.positionKey(locationId, sku, batch));
    }

    /** Every batch of a SKU at a location, earliest expiry first (the order stock is allocated in). */
    List<InventoryPosition> batchesOf(String locationId, String sku) {
        String prefix = InventoryTopology.positionKey(locationId, sku, "");
        List<InventoryPosition> batches = new ArrayList<>();
        try (KeyValueIterator<String, InventoryPosition> range = positions.range(prefix, prefix + HIGH)) {
            range.forEachRemaining(entry -> batches.add(entry.value));
        }
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
        String key = InventoryTopology.positionKey(position.getLocationId(), position.getSku(), position.getBatch());
        positions.put(key, position);
        networkIndex.put(InventoryTopology.networkKey(position.getSku(), position.getBatch(),
                position.getLocationId()), position);
        context.forward(new Record<>(key, position, timestamp));
        review(position.getLocationId(), position.getSku(), timestamp);
    }

    /** Re-judges safety stock of the SKU at the location and expiry of each of its batches. */
    void review(String locationId, String sku, long timestamp) {
        LocationUpserted location = locations.get(locationId);
        List<InventoryPosition> batches = batchesOf(locationId, sku);
        long available = batches.stream().mapToLong(this::allocatable).sum();
        Integer safetyStock = location == null ? null : location.getSafetyStockUnits();
        alerts.judge(AlertType.BELOW_SAFETY_STOCK, InventoryAlerts.safetyStockKey(locationId, sku),
                safetyStock != null && available < safetyStock, location, sku, null, timestamp,
                () -> Map.of("availableUnits", Long.toString(available),
                        "safetyStockUnits", String.valueOf(safetyStock)));
        LocalDate today = alerts.today(timestamp);
        ProductUpserted product = products.get(sku);
        for (InventoryPosition batch : batches) {
            reviewExpiry(location, product, batch, today, timestamp);
        }
    }

    /** Re-judges expiry of every position this task holds (batches age without events). */
    void reviewAllExpiries(long wallClockMillis) {
        LocalDate today = alerts.today(wallClockMillis);
        try (KeyValueIterator<String, InventoryPosition> all = positions.all()) {
            while (all.hasNext()) {
                KeyValue<String, InventoryPosition> entry = all.next();
                reviewExpiry(locations.get(entry.value.getLocationId()), products.get(entry.value.getSku()), entry.value,
                        today, wallClockMillis);
            }
        }
    }

    /** Units that may still be promised: on hand, not reserved, not in a locked batch. */
    long allocatable(InventoryPosition position) {
        if (isLocked(position.getSku(), position.getBatch())) {
            return 0;
        }
        return Math.max(0, position.getOnHand() - position.getReserved() - position.getBlocked());
    }

    private void reviewExpiry(LocationUpserted location, ProductUpserted product, InventoryPosition batch,
                              LocalDate today, long timestamp) {
        if (batch.getExpiryDate() == null) {
            return;
        }
        int warningDays = product != null ? product.getExpiryWarningDays() : alerts.defaultExpiryWarningDays();
        LocalDate warnFrom = batch.getExpiryDate().minusDays(warningDays);
        boolean nearing = batch.getOnHand() > 0 && !today.isBefore(warnFrom);
        alerts.judge(AlertType.NEAR_EXPIRY,
                InventoryAlerts.expiryKey(batch.getLocationId(), batch.getSku(), batch.getBatch()),
                nearing, location, batch.getSku(), batch.getBatch(), timestamp,
                () -> Map.of("expiryDate", batch.getExpiryDate().toString(),
                        "warningDays", Integer.toString(warningDays),
                        "onHandUnits", Long.toString(batch.getOnHand()),
                        "daysLeft", Long.toString(ChronoUnit.DAYS.between(today, batch.getExpiryDate()))));
    }

    static final Comparator<InventoryPosition> EARLIEST_EXPIRY_FIRST = Comparator
            .comparing(InventoryPosition::getExpiryDate, Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(InventoryPosition::getBatch);
}
