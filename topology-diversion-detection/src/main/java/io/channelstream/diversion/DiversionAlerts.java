package io.channelstream.diversion;

import io.channelstream.events.Alert;
import io.channelstream.events.AlertStatus;
import io.channelstream.events.AlertType;
import io.channelstream.events.Severity;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The alerts diversion detection raises, one factory per kind, so the topology and the API (which
 * refuses cross-region orders before they reach Kafka) describe a condition the same way. Every
 * condition has a stable key; an alert's id is derived from the key and the status, so a condition is
 * raised (and cleared) once, and a replay produces the very same alert.
 */
public final class DiversionAlerts {

    public static final String SOURCE = "topology-diversion-detection";

    private DiversionAlerts() {
    }

    /** {@code TYPE|part|part...}; trace codes and ids never contain {@code |} (TraceCode refuses it). */
    public static String conditionKey(AlertType type, String... parts) {
        return type.name() + "|" + String.join("|", parts);
    }

    /** The order was refused (by the API) or found (on the orders topic) shipping outside the dealer's regions. */
    public static Alert crossRegionOrder(String orderId, String dealerId, String shipToRegionCode,
                                         List<String> authorizedRegionCodes, String routeToRegionCode,
                                         Instant occurredAt, String source, boolean refused) {
        Map<String, String> evidence = new LinkedHashMap<>();
        evidence.put("orderId", orderId);
        evidence.put("dealerId", dealerId);
        evidence.put("shipToRegionCode", shipToRegionCode);
        evidence.put("authorizedRegionCodes", String.join(",", authorizedRegionCodes));
        evidence.put("refused", Boolean.toString(refused));
        return raised(AlertType.CROSS_REGION_ORDER, Severity.CRITICAL,
                conditionKey(AlertType.CROSS_REGION_ORDER, orderId), routeToRegionCode, occurredAt, source,
                "Order " + orderId + " of dealer " + dealerId + " ships to region " + shipToRegionCode
                        + ", outside its authorized regions " + authorizedRegionCodes
                        + (refused ? "; the order was refused" : ""),
                evidence)
                .setDealerId(dealerId)
                .build();
    }

    static Alert.Builder raised(AlertType type, Severity severity, String conditionKey, String regionCode,
                                Instant occurredAt, String source, String summary, Map<String, String> evidence) {
        return Alert.newBuilder()
                .setEventId(alertId(conditionKey, AlertStatus.RAISED))
                .setOccurredAt(occurredAt)
                .setSource(source)
                .setAlertType(type)
                .setSeverity(severity)
                .setStatus(AlertStatus.RAISED)
                .setConditionKey(conditionKey)
                .setRegionCode(regionCode)
                .setLocationId(null)
                .setDealerId(null)
                .setSku(null)
                .setBatch(null)
                .setCode(null)
                .setSummary(summary)
                .setEvidence(Map.copyOf(evidence));
    }

    /** The clear of a raised condition: same key, same routing, status CLEARED. */
    static Alert cleared(Alert raised, Instant occurredAt, String summary, Map<String, String> evidence) {
        return Alert.newBuilder(raised)
                .setEventId(alertId(raised.getConditionKey(), AlertStatus.CLEARED))
                .setOccurredAt(occurredAt)
                .setStatus(AlertStatus.CLEARED)
                .setSeverity(Severity.INFO)
                .setSummary(summary)
                .setEvidence(Map.copyOf(evidence))
                .build();
    }

    static String alertId(String conditionKey, AlertStatus status) {
        return UUID.nameUUIDFromBytes((conditionKey + "#" + status.name()).getBytes(StandardCharsets.UTF_8))
                .toString();
    }

    static String km(double distanceKm) {
        return String.format(Locale.ROOT, "%.1f", distanceKm);
    }
}
