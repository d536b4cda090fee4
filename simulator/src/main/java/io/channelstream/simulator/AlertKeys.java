package io.channelstream.simulator;

import io.channelstream.events.Alert;
import io.channelstream.schemas.Topics;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The keys by which an alert is matched to labels: its {@code code}, every part of its
 * {@code conditionKey} (split on {@code |}), and every value of its {@code evidence} map. Label keys are
 * trace codes (GS1 Digital Link URIs), order ids, transfer ids and event ids, all prefixed by the run, so
 * a region code or a price in the evidence never matches one by accident.
 */
public final class AlertKeys {

    private AlertKeys() {
    }

    public static Set<String> of(Alert alert) {
        Set<String> keys = new LinkedHashSet<>();
        if (alert.getCode() != null) {
            keys.add(alert.getCode());
        }
        keys.addAll(Topics.keyParts(alert.getConditionKey()));
        alert.getEvidence().values().forEach(v -> keys.add(v.toString()));
        return keys;
    }
}
