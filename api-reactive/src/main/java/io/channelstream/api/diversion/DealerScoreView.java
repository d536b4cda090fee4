package io.channelstream.api.diversion;

import io.channelstream.diversion.DealerScoreSnapshot;
import java.time.Instant;
import java.util.List;

/**
 * A source dealer's diversion score as the API answers it.
 *
 * @param windowDiversions codes of the dealer confirmed diverted within the last {@code scoreWindowHours}
 * @param windowUnits      consumer units those codes stand for
 * @param openCases        foreign areas where its goods were confirmed, most recent first
 * @param consumerEvidence consumer scans per foreign area still counting towards a cluster
 */
public record DealerScoreView(
        String dealerId,
        Instant asOf,
        long scoreWindowHours,
        long windowDiversions,
        long windowUnits,
        boolean escalated,
        Instant escalationStartedAt,
        List<String> notifiedRegionCodes,
        List<DealerScoreSnapshot.OpenCase> openCases,
        List<DealerScoreSnapshot.ConsumerEvidence> consumerEvidence,
        String servedBy,
        boolean stale) {

    static DealerScoreView of(DealerScoreSnapshot score, String servedBy, boolean stale) {
        return new DealerScoreView(score.dealerId(), score.asOf(), score.scoreWindow().toHours(),
                score.windowDiversions(), score.windowUnits(), score.escalated(), score.escalationStartedAt(),
                score.notifiedRegionCodes(), score.openCases(), score.consumerEvidence(), servedBy, stale);
    }
}
