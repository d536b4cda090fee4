package io.channelstream.simulator;

import io.channelstream.events.AlertType;
import java.util.Set;

/**
 * What the simulator injects on purpose, each labelled in {@code labels.jsonl}. Positive kinds are
 * what the system should alert on; look-alikes are legitimate traffic that resembles an anomaly and
 * must not raise the alerts named here (an alert on one is a false positive, reported separately).
 */
public enum AnomalyKind {

    /** A dealer sells part of its allocation into another region: its goods are sold at a store there. */
    DIVERSION(true, Set.of(AlertType.DIVERSION, AlertType.CONSUMER_DIVERSION_CLUSTER)),
    /** One serial scanned at two places too far apart for the time between the scans. */
    CLONED_CODE(true, Set.of(AlertType.CLONED_CODE)),
    /** A well-formed code that was never issued (possible counterfeit). */
    UNKNOWN_CODE(true, Set.of(AlertType.UNKNOWN_CODE)),
    /** A store sale below the regional floor price. */
    PRICE_BELOW_FLOOR(true, Set.of(AlertType.PRICE_BELOW_FLOOR)),
    /** An order whose ship-to lies outside the ordering dealer's authorized regions. */
    CROSS_REGION_ORDER(true, Set.of(AlertType.CROSS_REGION_ORDER)),

    /** Look-alike: a consumer scans one code while travelling in another province. */
    CONSUMER_TRAVEL(false, Set.of(AlertType.DIVERSION, AlertType.CONSUMER_DIVERSION_CLUSTER)),
    /** Look-alike: goods moved to another region by an approved transfer, then sold there. */
    APPROVED_TRANSFER(false, Set.of(AlertType.DIVERSION, AlertType.CONSUMER_DIVERSION_CLUSTER)),
    /** Look-alike: receipt scans published before the shipment event that binds their codes. */
    SCAN_BEFORE_SHIPMENT(false, Set.of(AlertType.UNKNOWN_CODE, AlertType.DIVERSION));

    private final boolean positive;
    private final Set<AlertType> alertTypes;

    AnomalyKind(boolean positive, Set<AlertType> alertTypes) {
        this.positive = positive;
        this.alertTypes = alertTypes;
    }

    /** True when the system should raise an alert for it; false for a look-alike that must stay quiet. */
    public boolean positive() {
        return positive;
    }

    /** Alert types that answer this kind (positive) or that would be false alarms on it (look-alike). */
    public Set<AlertType> alertTypes() {
        return alertTypes;
    }
}
