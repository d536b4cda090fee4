package io.channelstream.diversion;

import io.channelstream.events.Alert;
import io.channelstream.events.AlertType;
import io.channelstream.events.ClusterSighting;
import io.channelstream.events.ConsumerCluster;
import io.channelstream.events.DealerDiversionScore;
import io.channelstream.events.DiversionCase;
import io.channelstream.events.Escalation;
import io.channelstream.events.OutOfRegionSighting;
import io.channelstream.events.ScoreBucket;
import io.channelstream.events.Severity;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * On the source dealer's partition: consumer evidence becomes a cluster alert once enough distinct codes
 * of the dealer turn up in one foreign area within the window; confirmed diversions (strong scans, and
 * every code of a raised cluster) count into the dealer's windowed score and its open cases; a score over
 * the escalation threshold alerts the regional managers of the source region and of every destination.
 *
 * <p>Windows run on the dealer's own event time (the latest scan seen for it), so a replay gives the same
 * answers as the live run.
 */
final class ScoreDealer implements Processor<String, OutOfRegionSighting, String, Alert> {

    private final DiversionConfig config;
    private ProcessorContext<String, Alert> context;
    private KeyValueStore<String, DealerDiversionScore> scores;

    ScoreDealer(DiversionConfig config) {
        this.config = config;
    }

    @Override
    public void init(ProcessorContext<String, Alert> context) {
        this.context = context;
        this.scores = context.getStateStore(DiversionTopology.DEALER_SCORES_STORE);
    }

    @Override
    public void process(Record<String, OutOfRegionSighting> record) {
        OutOfRegionSighting sighting = record.value();
        if (sighting == null) {
            return;
        }
        String dealerId = sighting.getDealerId();
        DealerDiversionScore known = scores.get(dealerId);
        Instant now = known == null || sighting.getOccurredAt().isAfter(known.getLastEventAt())
                ? sighting.getOccurredAt() : known.getLastEventAt();
        Score score = Score.of(dealerId, known, now);
        score.prune(config);
        List<Alert> alerts = new ArrayList<>();
        if (sighting.getStrongEvidence()) {
            if (!score.alreadyCountedInRaisedCluster(sighting)) {
                score.confirm(sighting.getAreaCode(), sighting.getCode(), sighting.getOccurredAt(), sighting.getUnits(),
                        sighting.getShipmentId(), true, config.sampleCodesPerCase());
            }
        } else {
            weighConsumerEvidence(score, sighting, alerts);
        }
        escalate(score, sighting, alerts);
        scores.put(dealerId, score.toRecord());
        for (Alert alert : alerts) {
            context.forward(record.withKey(alert.getConditionKey()).withValue(alert));
        }
    }

    private void weighConsumerEvidence(Score score, OutOfRegionSighting sighting, List<Alert> alerts) {
        Cluster cluster = score.clusters.computeIfAbsent(sighting.getAreaCode(), Cluster::new);
        if (cluster.contains(sighting.getCode())) {
            return; // the same code again (one consumer scanning twice) is no new evidence
        }
        ClusterSighting evidence = ClusterSighting.newBuilder()
                .setCode(sighting.getCode())
                .setOccurredAt(sighting.getOccurredAt())
                .setUnits(sighting.getUnits())
                .setShipmentId(sighting.getShipmentId())
                .setScannedRegionCode(sighting.getScannedRegionCode())
                .build();
        cluster.sightings.add(evidence);
        if (cluster.raisedAt != null) {
            score.confirm(cluster.areaCode, evidence.getCode(), evidence.getOccurredAt(), evidence.getUnits(),
                    evidence.getShipmentId(), false, config.sampleCodesPerCase());
            return;
        }
        if (cluster.sightings.size() < config.consumerClusterMinCodes()) {
            return;
        }
        cluster.raisedAt = cluster.sightings.stream().map(ClusterSighting::getOccurredAt).min(Comparator.naturalOrder())
                .orElse(sighting.getOccurredAt());
        for (ClusterSighting counted : cluster.sightings) {
            score.confirm(cluster.areaCode, counted.getCode(), counted.getOccurredAt(), counted.getUnits(),
                    counted.getShipmentId(), false, config.sampleCodesPerCase());
        }
        alerts.add(clusterAlert(score.dealerId, cluster, sighting));
    }

    private Alert clusterAlert(String dealerId, Cluster cluster, OutOfRegionSighting trigger) {
        List<ClusterSighting> sightings = cluster.sightings;
        Set<String> shipments = new LinkedHashSet<>();
        sightings.forEach(s -> {
            if (s.getShipmentId() != null) {
                shipments.add(s.getShipmentId());
            }
        });
        Map<String, String> evidence = new LinkedHashMap<>();
        evidence.put("sourceDealerId", dealerId);
        evidence.put("areaCode", cluster.areaCode);
        evidence.put("distinctCodes", Integer.toString(sightings.size()));
        evidence.put("codes", String.join(",", sightings.stream().map(ClusterSighting::getCode).limit(10).toList()));
        evidence.put("shipmentIds", String.join(",", shipments));
        evidence.put("expectedRegionCodes", String.join(",", trigger.getExpectedRegionCodes()));
        evidence.put("firstScannedAt", cluster.raisedAt.toString());
        evidence.put("lastScannedAt", trigger.getOccurredAt().toString());
        evidence.put("windowHours", Long.toString(config.consumerClusterWindow().toHours()));
        evidence.put("minCodes", Integer.toString(config.consumerClusterMinCodes()));
        evidence.put("evidenceStrength", "WEAK_CLUSTER");
        String key = DiversionAlerts.conditionKey(AlertType.CONSUMER_DIVERSION_CLUSTER, dealerId, cluster.areaCode,
                cluster.raisedAt.toString());
        return DiversionAlerts.raised(AlertType.CONSUMER_DIVERSION_CLUSTER, Severity.WARNING, key,
                        routeTo(trigger), trigger.getOccurredAt(), DiversionAlerts.SOURCE,
                        sightings.size() + " codes of dealer " + dealerId + " were scanned by consumers in area "
                                + cluster.areaCode + " (outside " + trigger.getExpectedRegionCodes() + ") within "
                                + config.consumerClusterWindow().toHours() + " h",
                        evidence)
                .setDealerId(dealerId)
                .setSku(trigger.getSku())
                .build();
    }

    /**
     * A windowed score over a threshold opens an escalation episode; its source region and each destination
     * area are told once per episode. The episode closes when the score falls back under the thresholds.
     */
    private void escalate(Score score, OutOfRegionSighting trigger, List<Alert> alerts) {
        long diversions = score.windowDiversions(config.scoreWindow());
        long units = score.windowUnits(config.scoreWindow());
        if (diversions < config.escalationDiversions() && units < config.escalationUnits()) {
            score.escalationStartedAt = null;
            score.notified.clear();
            return;
        }
        if (score.escalationStartedAt == null) {
            score.escalationStartedAt = score.now;
            score.notified.clear();
        }
        String sourceRegion = routeTo(trigger);
        List<String> destinations = score.cases.values().stream()
                .filter(c -> !c.getLastSeenAt().isBefore(score.now.minus(config.scoreWindow())))
                .map(DiversionCase::getAreaCode)
                .toList();
        List<String> recipients = new ArrayList<>();
        recipients.add(sourceRegion);
        recipients.addAll(destinations);
        for (String recipient : recipients) {
            if (!score.notified.add(recipient)) {
                continue;
            }
            boolean source = recipient.equals(sourceRegion);
            Map<String, String> evidence = new LinkedHashMap<>();
            evidence.put("sourceDealerId", score.dealerId);
            evidence.put("sourceRegionCode", sourceRegion);
            evidence.put("destinationRegionCodes", String.join(",", destinations));
            evidence.put("notifiedAs", source ? "SOURCE" : "DESTINATION");
            evidence.put("windowDiversions", Long.toString(diversions));
            evidence.put("windowUnits", Long.toString(units));
            evidence.put("scoreWindowHours", Long.toString(config.scoreWindow().toHours()));
            evidence.put("escalationDiversions", Integer.toString(config.escalationDiversions()));
            evidence.put("escalationUnits", Long.toString(config.escalationUnits()));
            evidence.put("episodeStartedAt", score.escalationStartedAt.toString());
            String key = DiversionAlerts.conditionKey(AlertType.DEALER_ESCALATION, score.dealerId,
                    score.escalationStartedAt.toString(), recipient);
            alerts.add(DiversionAlerts.raised(AlertType.DEALER_ESCALATION, Severity.CRITICAL, key, recipient,
                            trigger.getOccurredAt(), DiversionAlerts.SOURCE,
                            "Dealer " + score.dealerId + " of region " + sourceRegion + " is diverting goods into "
                                    + destinations + ": " + diversions + " confirmed diversions, " + units
                                    + " units in the last " + config.scoreWindow().toHours() + " h",
                            evidence)
                    .setDealerId(score.dealerId)
                    .build());
        }
    }

    private static String routeTo(OutOfRegionSighting sighting) {
        if (sighting.getSourceRegionCode() != null) {
            return sighting.getSourceRegionCode();
        }
        return sighting.getExpectedRegionCodes().isEmpty() ? "00" : sighting.getExpectedRegionCodes().get(0);
    }

    /** One consumer cluster while it is worked on. */
    static final class Cluster {
        final String areaCode;
        final List<ClusterSighting> sightings = new ArrayList<>();
        Instant raisedAt;

        Cluster(String areaCode) {
            this.areaCode = areaCode;
        }

        boolean contains(String code) {
            return sightings.stream().anyMatch(s -> s.getCode().equals(code));
        }
    }

    /** A dealer's score while one sighting is applied: read once, changed, written once. */
    static final class Score {
        /** Open cases kept per dealer; the oldest goes first. */
        static final int CASES_KEPT = 50;

        final String dealerId;
        final Instant now;
        final Map<Instant, long[]> buckets = new java.util.TreeMap<>();
        final Map<String, DiversionCase> cases = new LinkedHashMap<>();
        final Map<String, Cluster> clusters = new LinkedHashMap<>();
        final Set<String> notified = new LinkedHashSet<>();
        Instant escalationStartedAt;

        private Score(String dealerId, Instant now) {
            this.dealerId = dealerId;
            this.now = now;
        }

        static Score of(String dealerId, DealerDiversionScore known, Instant now) {
            Score score = new Score(dealerId, now);
            if (known == null) {
                return score;
            }
            known.getBuckets().forEach(b -> score.buckets.put(b.getStartsAt(), new long[] {b.getDiversions(), b.getUnits()}));
            known.getCases().forEach(c -> score.cases.put(c.getAreaCode(), c));
            for (ConsumerCluster stored : known.getClusters()) {
                Cluster cluster = new Cluster(stored.getAreaCode());
                cluster.raisedAt = stored.getRaisedAt();
                cluster.sightings.addAll(stored.getSightings());
                score.clusters.put(cluster.areaCode, cluster);
            }
            if (known.getEscalation() != null) {
                score.escalationStartedAt = known.getEscalation().getStartedAt();
                score.notified.addAll(known.getEscalation().getNotifiedRegionCodes());
            }
            return score;
        }

        void prune(DiversionConfig config) {
            Instant scoreHorizon = now.minus(config.scoreWindow()).truncatedTo(ChronoUnit.HOURS);
            buckets.keySet().removeIf(startsAt -> startsAt.isBefore(scoreHorizon));
            Instant caseHorizon = now.minus(config.caseRetention());
            cases.values().removeIf(c -> c.getLastSeenAt().isBefore(caseHorizon));
            Instant clusterHorizon = now.minus(config.consumerClusterWindow());
            for (Cluster cluster : clusters.values()) {
                cluster.sightings.removeIf(s -> s.getOccurredAt().isBefore(clusterHorizon));
            }
            // a cluster whose evidence all aged out is over; new evidence there starts a new episode
            clusters.values().removeIf(cluster -> cluster.sightings.isEmpty());
        }

        boolean alreadyCountedInRaisedCluster(OutOfRegionSighting sighting) {
            Cluster cluster = clusters.get(sighting.getAreaCode());
            return cluster != null && cluster.raisedAt != null && cluster.contains(sighting.getCode());
        }

        void confirm(String areaCode, String code, Instant at, int units, String shipmentId, boolean strong,
                     int samplesKept) {
            long[] bucket = buckets.computeIfAbsent(at.truncatedTo(ChronoUnit.HOURS), start -> new long[2]);
            bucket[0]++;
            bucket[1] += units;
            DiversionCase known = cases.remove(areaCode);
            DiversionCase.Builder updated = known != null ? DiversionCase.newBuilder(known)
                    : DiversionCase.newBuilder().setAreaCode(areaCode).setFirstSeenAt(at).setLastSeenAt(at)
                            .setDiversions(0).setUnits(0).setStrongEvidence(false)
                            .setSampleCodes(List.of()).setShipmentIds(List.of());
            if (at.isBefore(updated.getFirstSeenAt())) {
                updated.setFirstSeenAt(at);
            }
            if (at.isAfter(updated.getLastSeenAt())) {
                updated.setLastSeenAt(at);
            }
            updated.setDiversions(updated.getDiversions() + 1)
                    .setUnits(updated.getUnits() + units)
                    .setStrongEvidence(updated.getStrongEvidence() || strong)
                    .setSampleCodes(appendBounded(updated.getSampleCodes(), code, samplesKept))
                    .setShipmentIds(appendBounded(updated.getShipmentIds(), shipmentId, samplesKept));
            cases.put(areaCode, updated.build()); // most recently confirmed last
            while (cases.size() > CASES_KEPT) {
                String oldest = cases.values().stream().min(Comparator.comparing(DiversionCase::getLastSeenAt))
                        .map(DiversionCase::getAreaCode).orElseThrow();
                cases.remove(oldest);
            }
        }

        long windowDiversions(Duration window) {
            return windowSum(window, 0);
        }

        long windowUnits(Duration window) {
            return windowSum(window, 1);
        }

        private long windowSum(Duration window, int index) {
            Instant horizon = now.minus(window).truncatedTo(ChronoUnit.HOURS);
            return buckets.entrySet().stream()
                    .filter(entry -> !entry.getKey().isBefore(horizon) && !entry.getKey().isAfter(now))
                    .mapToLong(entry -> entry.getValue()[index])
                    .sum();
        }

        private static List<String> appendBounded(List<String> values, String value, int kept) {
            if (value == null || values.contains(value) || values.size() >= kept) {
                return values;
            }
            List<String> appended = new ArrayList<>(values);
            appended.add(value);
            return appended;
        }

        DealerDiversionScore toRecord() {
            List<ScoreBucket> storedBuckets = new ArrayList<>();
            buckets.forEach((startsAt, counts) -> storedBuckets.add(ScoreBucket.newBuilder()
                    .setStartsAt(startsAt).setDiversions((int) counts[0]).setUnits(counts[1]).build()));
            List<ConsumerCluster> storedClusters = clusters.values().stream()
                    .map(cluster -> ConsumerCluster.newBuilder()
                            .setAreaCode(cluster.areaCode)
                            .setRaisedAt(cluster.raisedAt)
                            .setSightings(List.copyOf(cluster.sightings))
                            .build())
                    .toList();
            return DealerDiversionScore.newBuilder()
                    .setDealerId(dealerId)
                    .setLastEventAt(now)
                    .setBuckets(storedBuckets)
                    .setCases(List.copyOf(cases.values()))
                    .setClusters(storedClusters)
                    .setEscalation(escalationStartedAt == null ? null : Escalation.newBuilder()
                            .setStartedAt(escalationStartedAt)
                            .setNotifiedRegionCodes(List.copyOf(notified))
                            .build())
                    .build();
        }
    }
}
