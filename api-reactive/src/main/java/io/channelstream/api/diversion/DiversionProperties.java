package io.channelstream.api.diversion;

import io.channelstream.diversion.DiversionConfig;
import io.channelstream.events.ScannerRole;
import io.channelstream.regions.RegionTree;
import java.time.Duration;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Diversion thresholds from configuration ({@code channelstream.diversion.*}). Every setting is optional:
 * what is not set keeps {@link DiversionConfig#defaults()}, so the defaults live in one place.
 */
@ConfigurationProperties("channelstream.diversion")
public record DiversionProperties(
        Set<ScannerRole> strongEvidenceRoles,
        Integer consumerClusterMinCodes,
        Duration consumerClusterWindow,
        RegionTree.Level clusterAreaLevel,
        Duration unknownCodeWait,
        Duration unknownCodeCheckInterval,
        Double cloneMaxSpeedKmh,
        Double cloneMinDistanceKm,
        Double approximatePositionUncertaintyKm,
        Duration scoreWindow,
        Integer escalationDiversions,
        Long escalationUnits,
        Duration caseRetention,
        Integer sightingsKeptPerCode,
        Integer sampleCodesPerCase,
        Duration bindingIdleGrace,
        Duration outOfRegionSettle) {

    public DiversionConfig toConfig() {
        DiversionConfig d = DiversionConfig.defaults();
        return new DiversionConfig(
                or(strongEvidenceRoles, d.strongEvidenceRoles()),
                or(consumerClusterMinCodes, d.consumerClusterMinCodes()),
                or(consumerClusterWindow, d.consumerClusterWindow()),
                or(clusterAreaLevel, d.clusterAreaLevel()),
                or(unknownCodeWait, d.unknownCodeWait()),
                or(unknownCodeCheckInterval, d.unknownCodeCheckInterval()),
                or(cloneMaxSpeedKmh, d.cloneMaxSpeedKmh()),
                or(cloneMinDistanceKm, d.cloneMinDistanceKm()),
                or(approximatePositionUncertaintyKm, d.approximatePositionUncertaintyKm()),
                or(scoreWindow, d.scoreWindow()),
                or(escalationDiversions, d.escalationDiversions()),
                or(escalationUnits, d.escalationUnits()),
                or(caseRetention, d.caseRetention()),
                or(sightingsKeptPerCode, d.sightingsKeptPerCode()),
                or(sampleCodesPerCase, d.sampleCodesPerCase()),
                or(bindingIdleGrace, d.bindingIdleGrace()),
                or(outOfRegionSettle, d.outOfRegionSettle()));
    }

    private static <T> T or(T configured, T otherwise) {
        return configured != null ? configured : otherwise;
    }
}
