package io.channelstream.api.alerts;

import io.channelstream.events.Alert;
import io.channelstream.events.AlertStatus;
import io.channelstream.events.AlertType;
import io.channelstream.events.Severity;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** Small builder of alert events as the topologies emit them. */
final class TestAlerts {

    private TestAlerts() {
    }

    static Alert.Builder raised(String conditionKey, String regionCode) {
        return Alert.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setOccurredAt(Instant.now())
                .setSource("test-topology")
                .setAlertType(AlertType.DIVERSION)
                .setSeverity(Severity.WARNING)
                .setStatus(AlertStatus.RAISED)
                .setConditionKey(conditionKey)
                .setRegionCode(regionCode)
                .setSummary("code scanned outside its bound region")
                .setEvidence(Map.of("boundRegion", regionCode, "scannedRegion", "310115", "distanceKm", "1213"));
    }

    static Alert cleared(String conditionKey, String regionCode) {
        return raised(conditionKey, regionCode).setStatus(AlertStatus.CLEARED).setSummary("condition cleared").build();
    }
}
