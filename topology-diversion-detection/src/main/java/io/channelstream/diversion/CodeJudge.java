package io.channelstream.diversion;

import io.channelstream.events.Alert;
import io.channelstream.events.AlertType;
import io.channelstream.events.BindingCause;
import io.channelstream.events.CodeBinding;
import io.channelstream.events.CodeSighting;
import io.channelstream.events.CodeTrail;
import io.channelstream.events.OutOfRegionSighting;
import io.channelstream.events.PricePeriod;
import io.channelstream.events.ScanRecorded;
import io.channelstream.events.ScannerRole;
import io.channelstream.events.Severity;
import io.channelstream.events.SightingVerdict;
import io.channelstream.regions.RegionTree;
import java.time.Duration;
import java.time.Instant;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Everything that happens to one trace code, on the partition that owns it: scans are placed and judged
 * against the binding in force when they happened; bindings arrive (and judge the scans held while the
 * code was unknown); a code that stays unbound raises an unknown-code alert; two sightings too far
 * apart for their time gap raise a clone alert.
 *
 * <p>Outputs are {@link Alert}s keyed by condition and {@link OutOfRegionSighting}s keyed by the source
 * dealer (for clusters and scores), and {@link CodeBinding}s keyed by an inner code when a container
 * moved and its contents move with it.
 */
final class CodeJudge {

    private final DiversionConfig config;
    private final RegionTree regions;
    private final MasterData masterData;
    private final KeyValueStore<String, CodeTrail> trails;
    private final KeyValueStore<String, String> deadlines;
    private final KeyValueStore<String, Long> watermark;
    private final KeyValueStore<String, String> settling;
    private final ProcessorContext<String, SpecificRecord> context;
    /** The watermark of each shipments feed on this task, by store key; loaded on first use. */
    private Map<String, Long> feedWatermarks;
    /** Set by {@link #judge} when it kept a sighting back to settle; read and reset by the scan that asked. */
    private boolean heldToSettle;

    CodeJudge(ProcessorContext<String, SpecificRecord> context, DiversionConfig config, RegionTree regions) {
        this.context = context;
        this.config = config;
        this.regions = regions;
        this.masterData = new MasterData(context, regions);
        this.trails = context.getStateStore(DiversionTopology.CODE_TRAILS_STORE);
        this.deadlines = context.getStateStore(DiversionTopology.UNBOUND_DEADLINES_STORE);
        this.watermark = context.getStateStore(DiversionTopology.BINDINGS_WATERMARK_STORE);
        this.settling = context.getStateStore(DiversionTopology.SETTLING_SCANS_STORE);
    }

    // --- scans -------------------------------------------------------------------------------------------

    void onScan(Record<String, ScanRecorded> record) {
        ScanRecorded scan = record.value();
        if (scan == null) {
            return;
        }
        Place place = Place.of(scan, masterData, regions); // may refuse the scan: before anything changes
        String code = record.key();
        CodeTrail stored = trails.get(code);
        if (stored == null) {
            // a code this partition has never seen is checked for being readable at all (a known one was, when it
            // was bound or first scanned): refused before anything changes
            CheckScan.readableCode(scan);
        }
        CodeTrailState trail = CodeTrailState.of(code, stored);
        CodeSighting sighting = sightingOf(scan, place, SightingVerdict.HELD);
        List<Record<String, SpecificRecord>> out = new ArrayList<>();

        flagClonedCode(trail, sighting, out);
        heldToSettle = false;
        if (trail.isBound()) {
            sighting = judge(trail, sighting, out, true, !config.outOfRegionSettle().isZero());
        } else {
            holdUntilBound(trail, sighting);
        }
        trail.addSighting(sighting, config.sightingsKeptPerCode());
        if (trail.isBound()) {
            scheduleHeldScans(trail);
        }
        if (heldToSettle) {
            long releaseAt = context.currentSystemTimeMs() + config.outOfRegionSettle().toMillis();
            settling.put(deadlineKey(Instant.ofEpochMilli(releaseAt), code), code);
        }
        trails.put(code, trail.toRecord());
        out.forEach(context::forward);
    }

    /** The code is not bound (yet): keep the scan, and set the time at which it counts as unknown. */
    private void holdUntilBound(CodeTrailState trail, CodeSighting sighting) {
        String unknownKey = DiversionAlerts.conditionKey(AlertType.UNKNOWN_CODE, trail.code);
        if (trail.unboundDeadline == null && !trail.raised.contains(unknownKey)) {
            Instant deadline = sighting.getOccurredAt().plus(config.unknownCodeWait());
            trail.unboundDeadline = deadline;
            deadlines.put(deadlineKey(deadline, trail.code), trail.code);
        }
    }

    /**
     * Judges one sighting of a bound code: before its first binding it proves nothing; inside the
     * authorized regions of the dealer it was bound to (as they were at the time of the scan) it is fine;
     * outside, it is a diversion for a strong-evidence scanner and evidence towards a cluster for the rest.
     *
     * <p>A receipt outside the bound regions at a place that is not where the code was sent (nor the bound
     * dealer's) announces a shipment we have not seen yet as often as a diversion: the sender's dispatch
     * and the receiver's scan are uploaded by different systems. While {@code mayAwaitShipment}, such a
     * sighting stays {@code HELD} until a binding to that place arrives (then it is judged against it) or the
     * wait ends (then it is judged against the binding in force at the scan, see {@link #judgeHeldScans}).
     *
     * <p>While {@code maySettle} (a scan seen for the first time), an out-of-region verdict is not given yet: the
     * sighting stays {@code HELD} for {@code outOfRegionSettle} of wall-clock time ({@link #releaseSettledScans}),
     * because a binding published before the scan may still be on its way through the bindings' repartition topic
     * (an approved transfer's rebinding is produced in the same transaction that is open while the scan is judged).
     */
    private CodeSighting judge(CodeTrailState trail, CodeSighting sighting, List<Record<String, SpecificRecord>> out,
                               boolean mayAwaitShipment, boolean maySettle) {
        Instant at = sighting.getOccurredAt();
        Optional<CodeBinding> inForce = CodeTrailState.bindingAt(trail.bindings, at);
        if (inForce.isEmpty()) {
            return withVerdict(sighting, SightingVerdict.BEFORE_DISPATCH);
        }
        CodeBinding binding = inForce.get();
        List<String> expected = expectedRegions(binding, at);
        boolean inRegion = !expected.isEmpty() && regions.containedInAny(expected, sighting.getRegionCode());
        if (!inRegion && mayAwaitShipment
                && (isReceiptElsewhere(sighting, binding) || awaitsShipmentFromWarehouse(sighting, binding))) {
            return withVerdict(sighting, SightingVerdict.HELD);
        }
        if (!inRegion && maySettle && !expected.isEmpty()) {
            heldToSettle = true;
            return withVerdict(sighting, SightingVerdict.HELD);
        }
        checkPriceFloor(trail.code, binding, sighting, out);
        if (expected.isEmpty()) {
            return withVerdict(sighting, SightingVerdict.UNJUDGED);
        }
        if (inRegion) {
            return withVerdict(sighting, SightingVerdict.IN_REGION);
        }
        ScannerRole role = roleOf(sighting);
        boolean strong = config.isStrongEvidence(role);
        Double distanceKm = binding.getBoundLatitude() == null || binding.getBoundLongitude() == null ? null
                : Haversine.distanceKm(binding.getBoundLatitude(), binding.getBoundLongitude(),
                        sighting.getLatitude(), sighting.getLongitude());
        String diversionKey = DiversionAlerts.conditionKey(AlertType.DIVERSION, trail.code);
        String routeTo = sourceRegion(binding, expected, at);
        if (strong) {
            if (trail.raised.add(diversionKey)) {
                out.add(alert(diversionAlert(trail.code, binding, sighting, expected, routeTo, distanceKm)));
                reportToDealer(trail.code, binding, sighting, expected, routeTo, distanceKm, true, out);
            }
        } else {
            // one consumer's scan proves little (people travel); it is reported once per code and foreign area,
            // and the dealer's partition decides whether the evidence has become a cluster
            String area = areaOf(sighting.getRegionCode());
            String reported = "CONSUMER_EVIDENCE|" + area;
            if (!trail.raised.contains(diversionKey) && trail.raised.add(reported)) {
                reportToDealer(trail.code, binding, sighting, expected, routeTo, distanceKm, false, out);
            }
        }
        return withVerdict(sighting, SightingVerdict.OUT_OF_REGION);
    }

    /**
     * A receiving scan (dealer receipt, warehouse) at a known place that is neither where the binding sent the
     * code nor operated by the dealer it was bound to.
     */
    private boolean isReceiptElsewhere(CodeSighting sighting, CodeBinding binding) {
        ScannerRole role = roleOf(sighting);
        String placeId = sighting.getPlaceLocationId();
        if ((role != ScannerRole.DEALER_RECEIPT && role != ScannerRole.WAREHOUSE) || placeId == null
                || placeId.equals(binding.getToLocationId())) {
            return false;
        }
        String placeDealer = masterData.location(placeId).map(place -> place.getDealerId()).orElse(null);
        return placeDealer == null || !placeDealer.equals(binding.getDealerId());
    }

    /**
     * A strong scan away from one of the brand's own warehouses, while the code's latest known binding is to that
     * warehouse (no dealer): the shipment that took it on into the channel is simply not in yet. A warehouse's
     * own county says nothing about where its goods may be sold.
     */
    private boolean awaitsShipmentFromWarehouse(CodeSighting sighting, CodeBinding binding) {
        return binding.getDealerId() == null && config.isStrongEvidence(roleOf(sighting))
                && !Objects.equals(sighting.getPlaceLocationId(), binding.getToLocationId());
    }

    /**
     * Keeps the code's deadline at the earliest held scan plus the wait, or removes it when nothing is held.
     * Only for a bound code: an unbound one keeps the unknown-code deadline of its first scan.
     */
    private void scheduleHeldScans(CodeTrailState trail) {
        Instant wanted = trail.sightings.stream().filter(s -> s.getVerdict() == SightingVerdict.HELD)
                .map(CodeSighting::getOccurredAt).min(Instant::compareTo)
                .map(first -> first.plus(config.unknownCodeWait())).orElse(null);
        if (Objects.equals(wanted, trail.unboundDeadline)) {
            return;
        }
        if (trail.unboundDeadline != null) {
            deadlines.delete(deadlineKey(trail.unboundDeadline, trail.code));
        }
        trail.unboundDeadline = wanted;
        if (wanted != null) {
            deadlines.put(deadlineKey(wanted, trail.code), trail.code);
        }
    }

    /** The wait of a bound code's held scans is over: each is judged against the binding in force at its time. */
    private void judgeHeldScans(CodeTrailState trail, List<Record<String, SpecificRecord>> out) {
        for (int i = 0; i < trail.sightings.size(); i++) {
            CodeSighting sighting = trail.sightings.get(i);
            if (sighting.getVerdict() == SightingVerdict.HELD) {
                trail.sightings.set(i, judge(trail, sighting, out, false, false));
            }
        }
    }

    /** The dealer's regions in force at the scan, else (dealer unknown then) the regions known at binding. */
    private List<String> expectedRegions(CodeBinding binding, Instant at) {
        if (binding.getDealerId() != null) {
            Optional<List<String>> authorized = masterData.authorizedRegionsAt(binding.getDealerId(), at);
            if (authorized.isPresent()) {
                return authorized.get();
            }
        }
        return binding.getBoundRegionCodes();
    }

    private String sourceRegion(CodeBinding binding, List<String> expected, Instant at) {
        return masterData.managerRegion(binding.getDealerId(), at).orElse(expected.get(0));
    }

    private void reportToDealer(String code, CodeBinding binding, CodeSighting sighting, List<String> expected,
                                String sourceRegion, Double distanceKm, boolean strong,
                                List<Record<String, SpecificRecord>> out) {
        if (binding.getDealerId() == null) {
            return; // bound to one of the brand's own warehouses: no dealer to score
        }
        OutOfRegionSighting report = OutOfRegionSighting.newBuilder()
                .setEventId("oor:" + sighting.getScanEventId())
                .setOccurredAt(sighting.getOccurredAt())
                .setSource(DiversionAlerts.SOURCE)
                .setDealerId(binding.getDealerId())
                .setCode(code)
                .setSku(binding.getSku())
                .setBatch(binding.getBatch())
                .setUnits(binding.getUnits())
                .setShipmentId(binding.getShipmentId())
                .setScanEventId(sighting.getScanEventId())
                .setScannedRegionCode(sighting.getRegionCode())
                .setAreaCode(areaOf(sighting.getRegionCode()))
                .setScannerRole(sighting.getScannerRole())
                .setStrongEvidence(strong)
                .setExpectedRegionCodes(List.copyOf(expected))
                .setSourceRegionCode(sourceRegion)
                .setDistanceKm(distanceKm)
                .build();
        out.add(new Record<>(binding.getDealerId(), report, sighting.getOccurredAt().toEpochMilli()));
    }

    private Alert diversionAlert(String code, CodeBinding binding, CodeSighting sighting, List<String> expected,
                                 String routeTo, Double distanceKm) {
        Map<String, String> evidence = new LinkedHashMap<>();
        evidence.put("code", code);
        putIfPresent(evidence, "sku", binding.getSku());
        putIfPresent(evidence, "batch", binding.getBatch());
        putIfPresent(evidence, "shipmentId", binding.getShipmentId());
        putIfPresent(evidence, "sourceDealerId", binding.getDealerId());
        evidence.put("boundLocationId", binding.getToLocationId());
        evidence.put("boundAt", binding.getOccurredAt().toString());
        evidence.put("expectedRegionCodes", String.join(",", expected));
        evidence.put("scannedRegionCode", sighting.getRegionCode());
        putIfPresent(evidence, "scannedLocationId", sighting.getPlaceLocationId());
        evidence.put("scannedAt", sighting.getOccurredAt().toString());
        evidence.put("scannerRole", sighting.getScannerRole());
        evidence.put("evidenceStrength", "STRONG");
        evidence.put("units", Integer.toString(binding.getUnits()));
        if (distanceKm != null) {
            evidence.put("distanceKm", DiversionAlerts.km(distanceKm));
        }
        String where = regionName(sighting.getRegionCode());
        return DiversionAlerts.raised(AlertType.DIVERSION, Severity.CRITICAL,
                        DiversionAlerts.conditionKey(AlertType.DIVERSION, code), routeTo, sighting.getOccurredAt(),
                        DiversionAlerts.SOURCE,
                        "Code " + code + " of dealer " + binding.getDealerId() + " (bound to " + expected
                                + ") was scanned by " + sighting.getScannerRole() + " in " + where
                                + (distanceKm == null ? "" : ", " + DiversionAlerts.km(distanceKm) + " km away"),
                        evidence)
                .setLocationId(sighting.getPlaceLocationId())
                .setDealerId(binding.getDealerId())
                .setSku(binding.getSku())
                .setBatch(binding.getBatch())
                .setCode(code)
                .build();
    }

    /** A sale below the floor price of the SKU where it was sold, in force when it was sold. */
    private void checkPriceFloor(String code, CodeBinding binding, CodeSighting sighting,
                                 List<Record<String, SpecificRecord>> out) {
        Long priceFen = sighting.getUnitPriceFen();
        if (priceFen == null || binding.getSku() == null) {
            return;
        }
        Optional<PricePeriod> price = masterData.priceAt(binding.getSku(), sighting.getRegionCode(),
                sighting.getOccurredAt());
        if (price.isEmpty() || priceFen >= price.get().getFloorPriceFen()) {
            return;
        }
        Alert alert = PriceFloor.belowFloorAlert(
                DiversionAlerts.conditionKey(AlertType.PRICE_BELOW_FLOOR, "scan", sighting.getScanEventId()),
                binding.getSku(), sighting.getRegionCode(), priceFen, price.get(), sighting.getOccurredAt(),
                "a " + sighting.getScannerRole() + " scan of code " + code,
                Map.of("code", code, "scanEventId", sighting.getScanEventId(),
                        "sourceDealerId", String.valueOf(binding.getDealerId())))
                .setLocationId(sighting.getPlaceLocationId())
                .setDealerId(binding.getDealerId())
                .setBatch(binding.getBatch())
                .setCode(code)
                .build();
        out.add(alert(alert));
    }

    // --- clones ------------------------------------------------------------------------------------------

    /**
     * Two sightings of one serial whose distance (less the uncertainty of approximate positions) cannot be
     * covered at {@code cloneMaxSpeedKmh} in the time between them: one of the two is a copy.
     */
    private void flagClonedCode(CodeTrailState trail, CodeSighting sighting, List<Record<String, SpecificRecord>> out) {
        String cloneKey = DiversionAlerts.conditionKey(AlertType.CLONED_CODE, trail.code);
        if (trail.raised.contains(cloneKey)) {
            return;
        }
        CodeSighting fastest = null;
        double fastestSpeedKmh = 0;
        double fastestDistanceKm = 0;
        long sightingMillis = sighting.getOccurredAt().toEpochMilli();
        for (CodeSighting earlier : trail.sightings) {
            double hoursApart = Math.abs(sightingMillis - earlier.getOccurredAt().toEpochMilli()) / 3_600_000.0;
            if (hoursApart * config.cloneMaxSpeedKmh() > Haversine.MAX_DISTANCE_KM) {
                continue; // no two places on Earth are too far apart for that much time: skip the trigonometry
            }
            double distanceKm = Haversine.distanceKm(earlier.getLatitude(), earlier.getLongitude(),
                    sighting.getLatitude(), sighting.getLongitude())
                    - uncertaintyKm(earlier) - uncertaintyKm(sighting);
            if (distanceKm < config.cloneMinDistanceKm()) {
                continue;
            }
            double hours = Math.abs(Duration.between(earlier.getOccurredAt(), sighting.getOccurredAt()).toMillis())
                    / 3_600_000.0;
            double speedKmh = hours == 0 ? Double.POSITIVE_INFINITY : distanceKm / hours;
            if (speedKmh > config.cloneMaxSpeedKmh() && speedKmh > fastestSpeedKmh) {
                fastest = earlier;
                fastestSpeedKmh = speedKmh;
                fastestDistanceKm = distanceKm;
            }
        }
        if (fastest == null) {
            return;
        }
        trail.raised.add(cloneKey);
        CodeSighting first = fastest.getOccurredAt().isAfter(sighting.getOccurredAt()) ? sighting : fastest;
        CodeSighting second = first == sighting ? fastest : sighting;
        Map<String, String> evidence = new LinkedHashMap<>();
        evidence.put("code", trail.code);
        describe(evidence, "first", first);
        describe(evidence, "second", second);
        evidence.put("distanceKm", DiversionAlerts.km(fastestDistanceKm));
        evidence.put("elapsedMinutes", Long.toString(Duration.between(first.getOccurredAt(),
                second.getOccurredAt()).toMinutes()));
        evidence.put("impliedSpeedKmh", Double.isInfinite(fastestSpeedKmh) ? "infinite"
                : DiversionAlerts.km(fastestSpeedKmh));
        evidence.put("maxSpeedKmh", DiversionAlerts.km(config.cloneMaxSpeedKmh()));
        Optional<CodeBinding> binding = trail.latestBinding();
        Alert.Builder alert = DiversionAlerts.raised(AlertType.CLONED_CODE, Severity.CRITICAL, cloneKey,
                        sighting.getRegionCode(), sighting.getOccurredAt(), DiversionAlerts.SOURCE,
                        "Code " + trail.code + " was scanned in " + regionName(first.getRegionCode()) + " and in "
                                + regionName(second.getRegionCode()) + ", " + DiversionAlerts.km(fastestDistanceKm)
                                + " km apart within " + evidence.get("elapsedMinutes") + " minutes: one is a copy",
                        evidence)
                .setCode(trail.code)
                .setLocationId(sighting.getPlaceLocationId());
        binding.ifPresent(bound -> alert.setDealerId(bound.getDealerId()).setSku(bound.getSku())
                .setBatch(bound.getBatch()));
        out.add(alert(alert.build()));
    }

    private double uncertaintyKm(CodeSighting sighting) {
        return sighting.getPositionApproximate() ? config.approximatePositionUncertaintyKm() : 0.0;
    }

    private static void describe(Map<String, String> evidence, String prefix, CodeSighting sighting) {
        evidence.put(prefix + "ScanEventId", sighting.getScanEventId());
        evidence.put(prefix + "At", sighting.getOccurredAt().toString());
        evidence.put(prefix + "RegionCode", sighting.getRegionCode());
        evidence.put(prefix + "Latitude", Double.toString(sighting.getLatitude()));
        evidence.put(prefix + "Longitude", Double.toString(sighting.getLongitude()));
        evidence.put(prefix + "PositionApproximate", Boolean.toString(sighting.getPositionApproximate()));
        evidence.put(prefix + "ScannerRole", sighting.getScannerRole());
    }

    // --- bindings ----------------------------------------------------------------------------------------

    /**
     * Binds the code (a shipment dispatched it, or an approved transfer moved it). Scans held while it was
     * unknown are judged now; an unknown-code alert already raised is cleared (the code is genuine, its
     * binding was late); a container that moves without listing its contents takes them along.
     */
    void onBinding(Record<String, CodeBinding> record) {
        CodeBinding incoming = record.value();
        if (incoming == null) {
            return;
        }
        applyBinding(record.key(), incoming);
        if (!movesTheWatermark(incoming)) {
            return;
        }
        String feed = DiversionTopology.BINDINGS_WATERMARK_KEY + "|" + sourcePartition(record);
        long progressed = incoming.getOccurredAt().toEpochMilli();
        Long feedWatermark = feedWatermarks().get(feed);
        if (feedWatermark != null && progressed <= feedWatermark) {
            return;
        }
        feedWatermarks().put(feed, progressed);
        watermark.put(feed, progressed);
        long least = feedWatermarks().values().stream().mapToLong(Long::longValue).min().orElse(progressed);
        if (least > bindingsWatermark()) {
            // every shipments feed reaching this task has moved on: scans waiting for them up to here are judged now
            watermark.put(DiversionTopology.BINDINGS_WATERMARK_KEY, least);
            raiseUnknownCodes(least);
        }
    }

    /** The shipments partition a binding was read from ({@link BindShipmentCodes}), "?" when not told. */
    private static String sourcePartition(Record<String, CodeBinding> record) {
        Header header = record.headers().lastHeader(BindShipmentCodes.SOURCE_PARTITION_HEADER);
        return header == null || header.value() == null || header.value().length != Integer.BYTES ? "?"
                : Integer.toString(ByteBuffer.wrap(header.value()).getInt());
    }

    /** Each shipments feed's latest binding time on this task, read once from the store (it survives a restart). */
    private Map<String, Long> feedWatermarks() {
        if (feedWatermarks == null) {
            feedWatermarks = new HashMap<>();
            String prefix = DiversionTopology.BINDINGS_WATERMARK_KEY + "|";
            try (KeyValueIterator<String, Long> feeds = watermark.range(prefix, prefix + "\uffff")) {
                feeds.forEachRemaining(entry -> feedWatermarks.put(entry.key, entry.value));
            }
        }
        return feedWatermarks;
    }

    /**
     * Only a shipment's own binding moves the watermark. The watermark stands for "the shipments reaching this task
     * have got this far", which is what ends a wait; it relies on one feed's bindings arriving in about event-time
     * order. A transfer's rebinding comes through a feed of its own (small, so far ahead of the shipments' in a fast
     * replay: one rebinding days ahead ended every wait before it, and the score of the running app showed thousands
     * of false alarms); the contents moved along with a container only repeat their container's time.
     */
    private static boolean movesTheWatermark(CodeBinding binding) {
        return binding.getCause() == BindingCause.SHIPMENT && binding.getInheritedFrom() == null;
    }

    /**
     * How far the shipments reaching this task have got (epoch millis): the least of the shipments feeds' latest
     * binding times, {@link Long#MIN_VALUE} before the first: how far the facts that could explain a held scan have got.
     */
    long bindingsWatermark() {
        Long millis = watermark.get(DiversionTopology.BINDINGS_WATERMARK_KEY);
        return millis == null ? Long.MIN_VALUE : millis;
    }

    private void applyBinding(String code, CodeBinding incoming) {
        CodeTrailState trail = CodeTrailState.of(code, trails.get(code));
        Optional<CodeBinding> previous = trail.latestBinding();
        CodeBinding binding = completeFromPrevious(incoming, previous.orElse(null));
        List<String> carried = List.of();
        if (incoming.getInheritedFrom() == null && incoming.getContents().isEmpty() && previous.isPresent()
                && !previous.get().getContents().isEmpty()) {
            // a container moved without listing what is in it: what was packed in it moves along
            carried = previous.get().getContents();
            binding = CodeBinding.newBuilder(binding).setContents(carried).build();
        }
        if (!trail.addBinding(binding)) {
            return; // the same shipment or transfer, seen again
        }
        List<Record<String, SpecificRecord>> out = new ArrayList<>();
        if (!carried.isEmpty()) {
            moveContentsAlong(binding, carried, out);
        }
        for (int i = 0; i < trail.sightings.size(); i++) {
            CodeSighting sighting = trail.sightings.get(i);
            if (sighting.getVerdict() == SightingVerdict.HELD) {
                // a binding arriving is what a settling sighting waited for: judged now, against it if it applies
                trail.sightings.set(i, judge(trail, sighting, out, true, false));
            }
        }
        scheduleHeldScans(trail);
        String unknownKey = DiversionAlerts.conditionKey(AlertType.UNKNOWN_CODE, code);
        if (trail.raised.remove(unknownKey)) {
            Alert raised = unknownCodeAlert(code, trail, binding.getOccurredAt());
            out.add(alert(DiversionAlerts.cleared(raised, binding.getOccurredAt(),
                    "Code " + code + " is genuine after all: " + binding.getCause() + " " + binding.getReference()
                            + " bound it to " + binding.getToLocationId(),
                    Map.of("code", code, "reference", binding.getReference(),
                            "boundAt", binding.getOccurredAt().toString()))));
        }
        trails.put(code, trail.toRecord());
        out.forEach(context::forward);
    }

    /** A transfer lists codes only; what the code is (SKU, batch, units, shipment) it keeps from before. */
    private static CodeBinding completeFromPrevious(CodeBinding incoming, CodeBinding previous) {
        if (previous == null || (incoming.getCause() != BindingCause.TRANSFER && incoming.getInheritedFrom() == null)) {
            return incoming;
        }
        CodeBinding.Builder completed = CodeBinding.newBuilder(incoming);
        if (incoming.getSku() == null) {
            completed.setSku(previous.getSku());
        }
        if (incoming.getBatch() == null) {
            completed.setBatch(previous.getBatch());
        }
        if (incoming.getShipmentId() == null) {
            completed.setShipmentId(previous.getShipmentId());
        }
        if (incoming.getParentCode() == null) {
            completed.setParentCode(previous.getParentCode());
        }
        if (incoming.getLevel() == io.channelstream.events.CodeLevel.UNKNOWN) {
            completed.setLevel(previous.getLevel());
            completed.setUnits(previous.getUnits());
        }
        return completed.build();
    }

    private static void moveContentsAlong(CodeBinding container, List<String> contents,
                                          List<Record<String, SpecificRecord>> out) {
        for (String inner : contents) {
            CodeBinding moved = CodeBinding.newBuilder(container)
                    .setCode(inner)
                    .setLevel(io.channelstream.events.CodeLevel.UNKNOWN)
                    .setSku(null)
                    .setBatch(null)
                    .setShipmentId(null)
                    .setParentCode(null)
                    .setUnits(1)
                    .setContents(List.of())
                    .setInheritedFrom(container.getCode())
                    .build();
            out.add(new Record<>(inner, moved, container.getOccurredAt().toEpochMilli()));
        }
    }

    // --- settling out-of-region verdicts -----------------------------------------------------------------

    /**
     * Gives the out-of-region verdicts whose settle ended by {@code wallClockMs}: each held sighting of the code is
     * judged against the bindings known now (a receipt elsewhere or goods from a brand warehouse keep waiting for
     * their shipment, as on first sight). Settle entries sit in their own store keyed by zero-padded wall-clock time,
     * so this reads only the due ones; the store is changelogged, so a restart releases them too.
     */
    void releaseSettledScans(long wallClockMs) {
        List<KeyValue<String, String>> due = new ArrayList<>();
        try (KeyValueIterator<String, String> iterator = settling.range(deadlineKey(Instant.EPOCH, ""),
                deadlineKey(Instant.ofEpochMilli(wallClockMs), "\uffff"))) {
            iterator.forEachRemaining(due::add);
        }
        for (KeyValue<String, String> entry : due) {
            settling.delete(entry.key);
            String code = entry.value;
            CodeTrail stored = trails.get(code);
            if (stored == null) {
                continue;
            }
            CodeTrailState trail = CodeTrailState.of(code, stored);
            if (!trail.isBound() || trail.sightings.stream().noneMatch(s -> s.getVerdict() == SightingVerdict.HELD)) {
                continue; // judged meanwhile (a binding arrived), or waiting for a binding, not settling
            }
            List<Record<String, SpecificRecord>> out = new ArrayList<>();
            for (int i = 0; i < trail.sightings.size(); i++) {
                CodeSighting sighting = trail.sightings.get(i);
                if (sighting.getVerdict() == SightingVerdict.HELD) {
                    trail.sightings.set(i, judge(trail, sighting, out, true, false));
                }
            }
            scheduleHeldScans(trail);
            trails.put(code, trail.toRecord());
            out.forEach(context::forward);
        }
    }

    // --- unknown codes -----------------------------------------------------------------------------------

    /**
     * Ends the wait of every code whose deadline passed by {@code clockMillis} (the judgement clock: the
     * bindings watermark, or the stream time once the binding feed has been idle for the grace): a code still
     * unbound raises an unknown-code alert; a bound code's held receipts are judged against the binding in force at
     * their time. Deadlines sit in their own store keyed by zero-padded time, so this reads only the due ones.
     */
    void raiseUnknownCodes(long clockMillis) {
        if (clockMillis < 0) {
            return; // no binding has reached this task yet
        }
        List<KeyValue<String, String>> due = new ArrayList<>();
        try (KeyValueIterator<String, String> iterator =
                     deadlines.range(deadlineKey(Instant.EPOCH, ""), deadlineKey(Instant.ofEpochMilli(clockMillis),
                             "\uffff"))) {
            iterator.forEachRemaining(due::add);
        }
        for (KeyValue<String, String> entry : due) {
            deadlines.delete(entry.key);
            String code = entry.value;
            CodeTrail stored = trails.get(code);
            if (stored == null) {
                continue;
            }
            CodeTrailState trail = CodeTrailState.of(code, stored);
            if (trail.unboundDeadline == null || !deadlineKey(trail.unboundDeadline, code).equals(entry.key)) {
                continue;
            }
            trail.unboundDeadline = null;
            if (trail.isBound()) {
                List<Record<String, SpecificRecord>> out = new ArrayList<>();
                judgeHeldScans(trail, out);
                trails.put(code, trail.toRecord());
                out.forEach(context::forward);
                continue;
            }
            String unknownKey = DiversionAlerts.conditionKey(AlertType.UNKNOWN_CODE, code);
            if (trail.raised.add(unknownKey)) {
                Alert alert = unknownCodeAlert(code, trail, Instant.ofEpochMilli(clockMillis));
                context.forward(new Record<>(alert.getConditionKey(), (SpecificRecord) alert, clockMillis));
            }
            trails.put(code, trail.toRecord());
        }
    }

    private Alert unknownCodeAlert(String code, CodeTrailState trail, Instant at) {
        List<CodeSighting> held = trail.sightings;
        CodeSighting first = held.isEmpty() ? null : held.get(0);
        Map<String, String> evidence = new LinkedHashMap<>();
        evidence.put("code", code);
        evidence.put("waitMinutes", Long.toString(config.unknownCodeWait().toMinutes()));
        evidence.put("sightings", Integer.toString(held.size()));
        TraceCode.tryParse(code).filter(parsed -> parsed.gtin() != null)
                .ifPresent(parsed -> evidence.put("gtin", parsed.gtin()));
        String region = "00";
        if (first != null) {
            describe(evidence, "first", first);
            region = first.getRegionCode();
        }
        return DiversionAlerts.raised(AlertType.UNKNOWN_CODE, Severity.WARNING,
                        DiversionAlerts.conditionKey(AlertType.UNKNOWN_CODE, code), region, at, DiversionAlerts.SOURCE,
                        "Code " + code + " was scanned" + (first == null ? "" : " in " + regionName(region))
                                + " but no shipment bound it within " + config.unknownCodeWait().toMinutes()
                                + " minutes: possibly counterfeit",
                        evidence)
                .setCode(code)
                .setLocationId(first == null ? null : first.getPlaceLocationId())
                .build();
    }

    /** {@code <19-digit zero-padded epoch millis>|<code>}: keys sort by time (without String.format's cost). */
    static String deadlineKey(Instant deadline, String code) {
        String millis = Long.toString(Math.max(0, deadline.toEpochMilli()));
        StringBuilder key = new StringBuilder(20 + code.length());
        for (int pad = millis.length(); pad < 19; pad++) {
            key.append('0');
        }
        return key.append(millis).append('|').append(code).toString();
    }

    // --- helpers -----------------------------------------------------------------------------------------

    /** The foreign area evidence is grouped by: the region at the configured level (a city by default). */
    String areaOf(String regionCode) {
        Optional<RegionTree.Region> region = regions.region(regionCode);
        while (region.isPresent() && region.get().level().ordinal() > config.clusterAreaLevel().ordinal()) {
            region = regions.region(region.get().parentCode());
        }
        return region.map(RegionTree.Region::code).orElse(regionCode);
    }

    private String regionName(String regionCode) {
        return regions.region(regionCode).map(region -> region.name() + " (" + regionCode + ")").orElse(regionCode);
    }

    private static ScannerRole roleOf(CodeSighting sighting) {
        try {
            return ScannerRole.valueOf(sighting.getScannerRole());
        } catch (IllegalArgumentException e) {
            return ScannerRole.UNKNOWN;
        }
    }

    // sightings are made and re-judged through the constructor, not a builder: a builder copies every field deeply
    // (GenericData.deepCopy) and validates it again, for values that are immutable and already valid (the
    // constructor's fields, in schema order, are the store format's)
    private static CodeSighting sightingOf(ScanRecorded scan, Place place, SightingVerdict verdict) {
        return new CodeSighting(scan.getEventId(), scan.getOccurredAt(), place.locationId(), place.regionCode(),
                place.latitude(), place.longitude(), place.approximate(), scan.getScannerRole().name(),
                scan.getUnitPriceFen(), verdict);
    }

    private static CodeSighting withVerdict(CodeSighting sighting, SightingVerdict verdict) {
        return sighting.getVerdict() == verdict ? sighting
                : new CodeSighting(sighting.getScanEventId(), sighting.getOccurredAt(), sighting.getPlaceLocationId(),
                        sighting.getRegionCode(), sighting.getLatitude(), sighting.getLongitude(),
                        sighting.getPositionApproximate(), sighting.getScannerRole(), sighting.getUnitPriceFen(),
                        verdict);
    }

    private static Record<String, SpecificRecord> alert(Alert alert) {
        return new Record<>(alert.getConditionKey(), alert, alert.getOccurredAt().toEpochMilli());
    }

    private static void putIfPresent(Map<String, String> evidence, String key, String value) {
        if (value != null) {
            evidence.put(key, value);
        }
    }
}
