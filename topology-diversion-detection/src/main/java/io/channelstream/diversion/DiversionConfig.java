package io.channelstream.diversion;

import io.channelstream.events.ScannerRole;
import io.channelstream.regions.RegionTree;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * The thresholds of diversion detection. {@link #defaults()} is what the application runs with unless
 * configured otherwise; docs/diversion.md says why each default is what it is.
 *
 * @param strongEvidenceRoles            scanner roles whose single out-of-region scan is a confirmed diversion;
 *                                       every other role (a consumer, an unknown app) is weak evidence
 * @param consumerClusterMinCodes        distinct codes of one dealer scanned by consumers in one foreign area
 *                                       within {@code consumerClusterWindow} that make a cluster alert
 * @param consumerClusterWindow          how far back consumer scans count towards a cluster (event time)
 * @param clusterAreaLevel               the region level a "foreign area" is grouped by (city by default)
 * @param unknownCodeWait                how long after the scan a scanned code may stay unbound before an
 *                                       unknown-code alert (and a held receipt waits for its shipment): over once
 *                                       the bindings reaching the code's task have passed the scan's time by it
 * @param unknownCodeCheckInterval       how often (stream time) codes past their wait are looked for
 * @param cloneMaxSpeedKmh               fastest plausible travel between two scans of one code
 * @param cloneMinDistanceKm             pairs of scans closer than this (after uncertainty) never count as a clone
 * @param approximatePositionUncertaintyKm how far a scan placed only by its region (at its province's capital)
 *                                       may really be from there; subtracted from clone distances
 * @param scoreWindow                    the window of a dealer's diversion score (event time)
 * @param escalationDiversions           confirmed diversions of one dealer within {@code scoreWindow} that escalate
 * @param escalationUnits                or consumer units within {@code scoreWindow} that escalate
 * @param caseRetention                  a dealer's case in one foreign area stays open this long after its last
 *                                       confirmed diversion
 * @param sightingsKeptPerCode           most recent sightings kept per code (clone checks, queries)
 * @param sampleCodesPerCase             codes and shipments listed per open case
 * @param bindingIdleGrace               wall-clock time without any progress of the bindings reaching a code's
 *                                       task after which held scans stop waiting for the bindings to pass them and
 *                                       are judged by the later of the task's stream time and the wall clock (an idle
 *                                       shipment feed, not a lagging one)
 * @param outOfRegionSettle              wall-clock time an out-of-region verdict against a dealer binding waits before
 *                                       it is given, so that a binding published before the scan but still on its way
 *                                       through the bindings' repartition topic (an approved transfer's rebinding) is
 *                                       applied first; zero gives the verdict at once
 */
public record DiversionConfig(
        Set<ScannerRole> strongEvidenceRoles,
        int consumerClusterMinCodes,
        Duration consumerClusterWindow,
        RegionTree.Level clusterAreaLevel,
        Duration unknownCodeWait,
        Duration unknownCodeCheckInterval,
        double cloneMaxSpeedKmh,
        double cloneMinDistanceKm,
        double approximatePositionUncertaintyKm,
        Duration scoreWindow,
        int escalationDiversions,
        long escalationUnits,
        Duration caseRetention,
        int sightingsKeptPerCode,
        int sampleCodesPerCase,
        Duration bindingIdleGrace,
        Duration outOfRegionSettle) {

    /** How long a quiet binding feed holds judgement up by default: see docs/diversion.md. */
    public static final Duration DEFAULT_BINDING_IDLE_GRACE = Duration.ofMinutes(15);
    /**
     * Two of the project's commit intervals (100 ms): a binding produced in the transaction that is open when the
     * scan is judged is committed, fetched and applied within it. See docs/diversion.md.
     */
    public static final Duration DEFAULT_OUT_OF_REGION_SETTLE = Duration.ofMillis(200);

    public static final Set<ScannerRole> DEFAULT_STRONG_EVIDENCE_ROLES = Set.copyOf(EnumSet.of(
            ScannerRole.STORE_SALE, ScannerRole.DEALER_RECEIPT, ScannerRole.WAREHOUSE, ScannerRole.INSPECTOR));

    public DiversionConfig {
        Objects.requireNonNull(strongEvidenceRoles, "strongEvidenceRoles");
        strongEvidenceRoles = Set.copyOf(strongEvidenceRoles);
        positive(consumerClusterMinCodes, "consumerClusterMinCodes");
        positive(consumerClusterWindow, "consumerClusterWindow");
        Objects.requireNonNull(clusterAreaLevel, "clusterAreaLevel");
        positive(unknownCodeWait, "unknownCodeWait");
        positive(unknownCodeCheckInterval, "unknownCodeCheckInterval");
        if (!(cloneMaxSpeedKmh > 0)) {
            throw new IllegalArgumentException("cloneMaxSpeedKmh must be positive, was " + cloneMaxSpeedKmh);
        }
        if (cloneMinDistanceKm < 0 || approximatePositionUncertaintyKm < 0) {
            throw new IllegalArgumentException("distances must not be negative");
        }
        positive(scoreWindow, "scoreWindow");
        positive(escalationDiversions, "escalationDiversions");
        positive(escalationUnits, "escalationUnits");
        positive(caseRetention, "caseRetention");
        positive(sightingsKeptPerCode, "sightingsKeptPerCode");
        positive(sampleCodesPerCase, "sampleCodesPerCase");
        positive(bindingIdleGrace, "bindingIdleGrace");
        Objects.requireNonNull(outOfRegionSettle, "outOfRegionSettle");
        if (outOfRegionSettle.isNegative()) {
            throw new IllegalArgumentException("outOfRegionSettle must not be negative, was " + outOfRegionSettle);
        }
    }

    /** The thresholds with the default {@link #outOfRegionSettle()}. */
    public DiversionConfig(Set<ScannerRole> strongEvidenceRoles, int consumerClusterMinCodes,
                           Duration consumerClusterWindow, RegionTree.Level clusterAreaLevel, Duration unknownCodeWait,
                           Duration unknownCodeCheckInterval, double cloneMaxSpeedKmh, double cloneMinDistanceKm,
                           double approximatePositionUncertaintyKm, Duration scoreWindow, int escalationDiversions,
                           long escalationUnits, Duration caseRetention, int sightingsKeptPerCode,
                           int sampleCodesPerCase, Duration bindingIdleGrace) {
        this(strongEvidenceRoles, consumerClusterMinCodes, consumerClusterWindow, clusterAreaLevel, unknownCodeWait,
                unknownCodeCheckInterval, cloneMaxSpeedKmh, cloneMinDistanceKm, approximatePositionUncertaintyKm,
                scoreWindow, escalationDiversions, escalationUnits, caseRetention, sightingsKeptPerCode,
                sampleCodesPerCase, bindingIdleGrace, DEFAULT_OUT_OF_REGION_SETTLE);
    }

    /** The thresholds with the default {@link #bindingIdleGrace()} and {@link #outOfRegionSettle()}. */
    public DiversionConfig(Set<ScannerRole> strongEvidenceRoles, int consumerClusterMinCodes,
                           Duration consumerClusterWindow, RegionTree.Level clusterAreaLevel, Duration unknownCodeWait,
                           Duration unknownCodeCheckInterval, double cloneMaxSpeedKmh, double cloneMinDistanceKm,
                           double approximatePositionUncertaintyKm, Duration scoreWindow, int escalationDiversions,
                           long escalationUnits, Duration caseRetention, int sightingsKeptPerCode,
                           int sampleCodesPerCase) {
        this(strongEvidenceRoles, consumerClusterMinCodes, consumerClusterWindow, clusterAreaLevel, unknownCodeWait,
                unknownCodeCheckInterval, cloneMaxSpeedKmh, cloneMinDistanceKm, approximatePositionUncertaintyKm,
                scoreWindow, escalationDiversions, escalationUnits, caseRetention, sightingsKeptPerCode,
                sampleCodesPerCase, DEFAULT_BINDING_IDLE_GRACE);
    }

    public static DiversionConfig defaults() {
        return new DiversionConfig(
                DEFAULT_STRONG_EVIDENCE_ROLES,
                3,
                Duration.ofHours(72),
                RegionTree.Level.CITY,
                Duration.ofHours(6),
                Duration.ofMinutes(1),
                900.0,
                50.0,
                300.0,
                Duration.ofHours(24),
                3,
                100,
                Duration.ofDays(30),
                10,
                20,
                DEFAULT_BINDING_IDLE_GRACE,
                DEFAULT_OUT_OF_REGION_SETTLE);
    }

    public DiversionConfig withUnknownCodeWait(Duration wait) {
        return new DiversionConfig(strongEvidenceRoles, consumerClusterMinCodes, consumerClusterWindow,
                clusterAreaLevel, wait, unknownCodeCheckInterval, cloneMaxSpeedKmh, cloneMinDistanceKm,
                approximatePositionUncertaintyKm, scoreWindow, escalationDiversions, escalationUnits, caseRetention,
                sightingsKeptPerCode, sampleCodesPerCase, bindingIdleGrace, outOfRegionSettle);
    }

    public DiversionConfig withConsumerCluster(int minCodes, Duration window) {
        return new DiversionConfig(strongEvidenceRoles, minCodes, window, clusterAreaLevel, unknownCodeWait,
                unknownCodeCheckInterval, cloneMaxSpeedKmh, cloneMinDistanceKm, approximatePositionUncertaintyKm,
                scoreWindow, escalationDiversions, escalationUnits, caseRetention, sightingsKeptPerCode,
                sampleCodesPerCase, bindingIdleGrace, outOfRegionSettle);
    }

    public DiversionConfig withEscalation(int diversions, long units, Duration window) {
        return new DiversionConfig(strongEvidenceRoles, consumerClusterMinCodes, consumerClusterWindow,
                clusterAreaLevel, unknownCodeWait, unknownCodeCheckInterval, cloneMaxSpeedKmh, cloneMinDistanceKm,
                approximatePositionUncertaintyKm, window, diversions, units, caseRetention, sightingsKeptPerCode,
                sampleCodesPerCase, bindingIdleGrace, outOfRegionSettle);
    }

    public DiversionConfig withCloneMaxSpeedKmh(double speedKmh) {
        return new DiversionConfig(strongEvidenceRoles, consumerClusterMinCodes, consumerClusterWindow,
                clusterAreaLevel, unknownCodeWait, unknownCodeCheckInterval, speedKmh, cloneMinDistanceKm,
                approximatePositionUncertaintyKm, scoreWindow, escalationDiversions, escalationUnits, caseRetention,
                sightingsKeptPerCode, sampleCodesPerCase, bindingIdleGrace, outOfRegionSettle);
    }

    public DiversionConfig withBindingIdleGrace(Duration grace) {
        return new DiversionConfig(strongEvidenceRoles, consumerClusterMinCodes, consumerClusterWindow,
                clusterAreaLevel, unknownCodeWait, unknownCodeCheckInterval, cloneMaxSpeedKmh, cloneMinDistanceKm,
                approximatePositionUncertaintyKm, scoreWindow, escalationDiversions, escalationUnits, caseRetention,
                sightingsKeptPerCode, sampleCodesPerCase, grace, outOfRegionSettle);
    }

    public DiversionConfig withOutOfRegionSettle(Duration settle) {
        return new DiversionConfig(strongEvidenceRoles, consumerClusterMinCodes, consumerClusterWindow,
                clusterAreaLevel, unknownCodeWait, unknownCodeCheckInterval, cloneMaxSpeedKmh, cloneMinDistanceKm,
                approximatePositionUncertaintyKm, scoreWindow, escalationDiversions, escalationUnits, caseRetention,
                sightingsKeptPerCode, sampleCodesPerCase, bindingIdleGrace, settle);
    }

    public boolean isStrongEvidence(ScannerRole role) {
        return strongEvidenceRoles.contains(role);
    }

    private static void positive(long value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }

    private static void positive(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }
}
