package io.channelstream.inventory;

import io.channelstream.events.Alert;
import io.channelstream.events.AlertStatus;
import io.channelstream.events.AlertType;
import io.channelstream.events.LocationUpserted;
import io.channelstream.events.Severity;
import io.channelstream.schemas.Topics;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Raises an alert once when its condition starts and clears it once when it ends; a condition that
 * stays true is not re-announced on every movement. Which conditions are raised is kept with the stock
 * it is about (in its {@link SkuStock} record), so the answer survives fail-over with that stock.
 */
final class InventoryAlerts {

    private static final String SOURCE = "topology-inventory";

    private final ProcessorContext<String, SpecificRecord> context;
    private final InventoryRules rules;

    InventoryAlerts(ProcessorContext<String, SpecificRecord> context, InventoryRules rules) {
        this.context = context;
        this.rules = rules;
    }

    static String safetyStockKey(String locationId, String sku) {
        return Topics.key(AlertType.BELOW_SAFETY_STOCK.name(), locationId, sku);
    }

    static String expiryKey(String locationId, String sku, String batch) {
        return Topics.key(AlertType.NEAR_EXPIRY.name(), locationId, sku, batch);
    }

    LocalDate today(long timestamp) {
        return LocalDate.ofInstant(Instant.ofEpochMilli(timestamp), rules.businessZone());
    }

    int defaultExpiryWarningDays() {
        return rules.defaultExpiryWarningDays();
    }

    /**
     * Publishes a raise when the condition became true, a clear when it became false, else nothing.
     *
     * @param raisedAt when the condition was raised, {@link SkuStock#NOT_RAISED} if it is not
     * @return when it is raised now ({@code raisedAt} if unchanged), {@link SkuStock#NOT_RAISED} if not
     */
    long judge(AlertType type, boolean holds, long raisedAt, LocationUpserted location, String locationId,
               String sku, String batch, long timestamp, Supplier<Map<String, String>> evidence) {
        boolean wasRaised = raisedAt != SkuStock.NOT_RAISED;
        if (holds == wasRaised) {
            return raisedAt;
        }
        String conditionKey = type == AlertType.NEAR_EXPIRY ? expiryKey(locationId, sku, batch)
                : safetyStockKey(locationId, sku);
        AlertStatus status = holds ? AlertStatus.RAISED : AlertStatus.CLEARED;
        Alert alert = Alert.newBuilder()
                .setEventId(conditionKey + ":" + status.name() + ":" + timestamp)
                .setOccurredAt(Instant.ofEpochMilli(timestamp))
                .setSource(SOURCE)
                .setAlertType(type)
                .setSeverity(type == AlertType.NEAR_EXPIRY ? Severity.WARNING : Severity.CRITICAL)
                .setStatus(status)
                .setConditionKey(conditionKey)
                .setRegionCode(location != null ? location.getRegionCode() : "")
                .setLocationId(location != null ? location.getLocationId() : null)
                .setDealerId(location != null ? location.getDealerId() : null)
                .setSku(sku)
                .setBatch(batch)
                .setSummary(summary(type, status, location, sku, batch))
                .setEvidence(evidence.get())
                .build();
        context.forward(new Record<>(conditionKey, alert, timestamp));
        return holds ? timestamp : SkuStock.NOT_RAISED;
    }

    private static String summary(AlertType type, AlertStatus status, LocationUpserted location, String sku,
                                  String batch) {
        String where = location != null ? location.getName() + " (" + location.getLocationId() + ")" : "unknown location";
        String what = switch (type) {
            case BELOW_SAFETY_STOCK -> sku + " is below safety stock at " + where;
            case NEAR_EXPIRY -> "batch " + batch + " of " + sku + " at " + where + " is nearing expiry";
            default -> type + " at " + where;
        };
        return status == AlertStatus.CLEARED ? "cleared: " + what : what;
    }
}
