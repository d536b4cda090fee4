package io.channelstream.benchmarks;

import io.channelstream.events.Alert;
import io.channelstream.events.AlertStatus;
import io.channelstream.events.AlertType;
import io.channelstream.events.InventoryPosition;
import io.channelstream.events.LocationUpserted;
import io.channelstream.events.MovementKind;
import io.channelstream.events.ProductUpserted;
import io.channelstream.events.Severity;
import io.channelstream.events.StockMovementRecorded;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The per-movement work of the inventory topology without Kafka Streams, for the plain loop baseline: apply the
 * movement to its batch's position, publish the position, then re-judge safety stock of the SKU at the location
 * (over all its batches, recall locks counted) and nearing expiry of each batch, publishing an alert when a
 * condition starts or ends. The same reads of state (position, the SKU's batches, the location, the product,
 * locks, raised conditions) and the same outputs, from plain maps in memory: what the loop does not have is
 * durability (no store, no changelog, no transaction), which is what the ratio prices.
 */
final class PlainInventoryLoop {

    /** What one movement produced: its position and the alerts it started or ended. */
    record Outputs(InventoryPosition position, List<Alert> alerts) {}

    private static final ZoneId BUSINESS_ZONE = ZoneId.of("Asia/Shanghai");
    private static final int DEFAULT_EXPIRY_WARNING_DAYS = 180;
    private static final Comparator<InventoryPosition> EARLIEST_EXPIRY_FIRST = Comparator
            .comparing(InventoryPosition::getExpiryDate, Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(InventoryPosition::getBatch);

    private final Map<String, LocationUpserted> locations;
    private final Map<String, ProductUpserted> products;
    private final Set<String> lockedBatches = new HashSet<>();
    /** Positions by location|sku, then by batch: the SKU's batches at a location are one lookup. */
    private final Map<String, TreeMap<String, InventoryPosition>> positions = new HashMap<>();
    private final Set<String> raised = new HashSet<>();

    PlainInventoryLoop(Map<String, LocationUpserted> locations, Map<String, ProductUpserted> products) {
        this.locations = locations;
        this.products = products;
    }

    Outputs apply(StockMovementRecorded m) {
        long delta = m.getKind() == MovementKind.RECEIPT || m.getKind() == MovementKind.TRANSFER_IN
                || m.getKind() == MovementKind.ADJUSTMENT ? m.getQuantity() : -m.getQuantity();
        if (delta < 0 && lockedBatches.contains(m.getSku() + "|" + m.getBatch())) {
            throw new IllegalStateException("locked batch");
        }
        TreeMap<String, InventoryPosition> batches =
                positions.computeIfAbsent(m.getLocationId() + "|" + m.getSku(), k -> new TreeMap<>());
        InventoryPosition current = batches.get(m.getBatch());
        long onHand = (current == null ? 0 : current.getOnHand()) + delta;
        long reserved = current == null ? 0 : current.getReserved();
        long blocked = current == null ? 0 : current.getBlocked();
        InventoryPosition next = InventoryPosition.newBuilder().setEventId("position:" + m.getEventId())
                .setOccurredAt(m.getOccurredAt()).setSource("bench-plain").setLocationId(m.getLocationId())
                .setSku(m.getSku()).setBatch(m.getBatch()).setOnHand(onHand).setReserved(reserved).setBlocked(blocked)
                .setAvailable(onHand - reserved - blocked).setProductionDate(m.getProductionDate())
                .setExpiryDate(m.getExpiryDate()).setLastMovementEventId(m.getEventId()).build();
        batches.put(m.getBatch(), next);
        List<Alert> alerts = new ArrayList<>(0);
        review(m.getLocationId(), m.getSku(), new ArrayList<>(batches.values()), m.getOccurredAt().toEpochMilli(),
                alerts);
        return new Outputs(next, alerts);
    }

    private void review(String locationId, String sku, List<InventoryPosition> batches, long timestamp,
                        List<Alert> alerts) {
        batches.sort(EARLIEST_EXPIRY_FIRST);
        LocationUpserted location = locations.get(locationId);
        long available = 0;
        for (InventoryPosition batch : batches) {
            available += lockedBatches.contains(sku + "|" + batch.getBatch()) ? 0
                    : Math.max(0, batch.getOnHand() - batch.getReserved() - batch.getBlocked());
        }
        Integer safetyStock = location == null ? null : location.getSafetyStockUnits();
        long availableUnits = available;
        judge(AlertType.BELOW_SAFETY_STOCK, "BELOW_SAFETY_STOCK|" + locationId + "|" + sku,
                safetyStock != null && available < safetyStock, location, sku, null, timestamp,
                () -> Map.of("availableUnits", Long.toString(availableUnits),
                        "safetyStockUnits", String.valueOf(safetyStock)), alerts);
        LocalDate today = LocalDate.ofInstant(Instant.ofEpochMilli(timestamp), BUSINESS_ZONE);
        ProductUpserted product = products.get(sku);
        int warningDays = product != null ? product.getExpiryWarningDays() : DEFAULT_EXPIRY_WARNING_DAYS;
        for (InventoryPosition batch : batches) {
            if (batch.getExpiryDate() == null) {
                continue;
            }
            boolean nearing = batch.getOnHand() > 0 && !today.isBefore(batch.getExpiryDate().minusDays(warningDays));
            judge(AlertType.NEAR_EXPIRY, "NEAR_EXPIRY|" + locationId + "|" + sku + "|" + batch.getBatch(), nearing,
                    location, sku, batch.getBatch(), timestamp,
                    () -> Map.of("expiryDate", batch.getExpiryDate().toString(),
                            "warningDays", Integer.toString(warningDays),
                            "onHandUnits", Long.toString(batch.getOnHand()),
                            "daysLeft", Long.toString(ChronoUnit.DAYS.between(today, batch.getExpiryDate()))),
                    alerts);
        }
    }

    private void judge(AlertType type, String conditionKey, boolean holds, LocationUpserted location, String sku,
                       String batch, long timestamp, java.util.function.Supplier<Map<String, String>> evidence,
                       List<Alert> alerts) {
        if (holds == raised.contains(conditionKey)) {
            return;
        }
        if (holds) {
            raised.add(conditionKey);
        } else {
            raised.remove(conditionKey);
        }
        AlertStatus status = holds ? AlertStatus.RAISED : AlertStatus.CLEARED;
        alerts.add(Alert.newBuilder()
                .setEventId(conditionKey + ":" + status.name() + ":" + timestamp)
                .setOccurredAt(Instant.ofEpochMilli(timestamp)).setSource("bench-plain")
                .setAlertType(type).setSeverity(type == AlertType.NEAR_EXPIRY ? Severity.WARNING : Severity.CRITICAL)
                .setStatus(status).setConditionKey(conditionKey)
                .setRegionCode(location != null ? location.getRegionCode() : "")
                .setLocationId(location != null ? location.getLocationId() : null)
                .setDealerId(location != null ? location.getDealerId() : null)
                .setSku(sku).setBatch(batch)
                .setSummary((status == AlertStatus.CLEARED ? "cleared: " : "") + type + " of " + sku + " at "
                        + (location != null ? location.getName() : "unknown location"))
                .setEvidence(evidence.get()).build());
    }
}
