package io.channelstream.diversion;

import io.channelstream.events.ClusterSighting;
import io.channelstream.events.ConsumerCluster;
import io.channelstream.events.DealerDiversionScore;
import io.channelstream.events.DiversionCase;
import io.channelstream.events.ScoreBucket;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;

/**
 * A source dealer's diversion score as of a moment: confirmed diversions and units within the score
 * window, whether an escalation is open, the open cases (foreign areas where its goods were confirmed),
 * and consumer evidence still below the cluster threshold.
 */
public record DealerScoreSnapshot(
        String dealerId,
        Instant asOf,
        Duration scoreWindow,
        long windowDiversions,
        long windowUnits,
        boolean escalated,
        Instant escalationStartedAt,
        List<String> notifiedRegionCodes,
        List<OpenCase> openCases,
        List<ConsumerEvidence> consumerEvidence) {

    /** The dealer's goods confirmed in one foreign area. */
    public record OpenCase(String areaCode, Instant firstSeenAt, Instant lastSeenAt, int diversions, long units,
                           boolean strongEvidence, List<String> sampleCodes, List<String> shipmentIds) {}

    /** Consumer scans of the dealer's codes in one foreign area within the cluster window. */
    public record ConsumerEvidence(String areaCode, int distinctCodes, boolean raised, Instant raisedAt,
                                   Instant lastScannedAt) {}

    /** A dealer never seen out of region. */
    public static DealerScoreSnapshot clean(String dealerId, Instant asOf, DiversionConfig config) {
        return new DealerScoreSnapshot(dealerId, asOf, config.scoreWindow(), 0, 0, false, null, List.of(), List.of(),
                List.of());
    }

    public static DealerScoreSnapshot of(DealerDiversionScore score, Instant asOf, DiversionConfig config) {
        Instant scoreHorizon = asOf.minus(config.scoreWindow()).truncatedTo(ChronoUnit.HOURS);
        long diversions = 0;
        long units = 0;
        for (ScoreBucket bucket : score.getBuckets()) {
            if (!bucket.getStartsAt().isBefore(scoreHorizon) && !bucket.getStartsAt().isAfter(asOf)) {
                diversions += bucket.getDiversions();
                units += bucket.getUnits();
            }
        }
        boolean escalated = score.getEscalation() != null
                && (diversions >= config.escalationDiversions() || units >= config.escalationUnits());
        Instant caseHorizon = asOf.minus(config.caseRetention());
        List<OpenCase> openCases = score.getCases().stream()
                .filter(c -> !c.getLastSeenAt().isBefore(caseHorizon))
                .sorted(Comparator.comparing(DiversionCase::getLastSeenAt).reversed())
                .map(c -> new OpenCase(c.getAreaCode(), c.getFirstSeenAt(), c.getLastSeenAt(), c.getDiversions(),
                        c.getUnits(), c.getStrongEvidence(), List.copyOf(c.getSampleCodes()),
                        List.copyOf(c.getShipmentIds())))
                .toList();
        Instant clusterHorizon = asOf.minus(config.consumerClusterWindow());
        List<ConsumerEvidence> evidence = score.getClusters().stream()
                .map(cluster -> evidenceOf(cluster, clusterHorizon))
                .filter(e -> e.distinctCodes() > 0)
                .toList();
        return new DealerScoreSnapshot(score.getDealerId(), asOf, config.scoreWindow(), diversions, units, escalated,
                escalated ? score.getEscalation().getStartedAt() : null,
                escalated ? List.copyOf(score.getEscalation().getNotifiedRegionCodes()) : List.of(),
                openCases, evidence);
    }

    private static ConsumerEvidence evidenceOf(ConsumerCluster cluster, Instant horizon) {
        List<ClusterSighting> recent = cluster.getSightings().stream()
                .filter(s -> !s.getOccurredAt().isBefore(horizon))
                .toList();
        Instant last = recent.stream().map(ClusterSighting::getOccurredAt).max(Comparator.naturalOrder()).orElse(null);
        return new ConsumerEvidence(cluster.getAreaCode(), recent.size(), cluster.getRaisedAt() != null,
                cluster.getRaisedAt(), last);
    }
}
