package io.channelstream.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.channelstream.events.MovementKind;
import io.channelstream.events.StockMovementRecorded;
import io.channelstream.schemas.Topics;
import io.channelstream.simulator.TrafficGenerator.DemandKey;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The truth kept beside the traffic: every injected label, and the units actually sold per SKU × dealer
 * × ISO week, counted from the SALE movements as they were published (so the truth of live weeks, whose
 * event time is the wall clock, is right too). Written to a run directory as JSON lines.
 */
public final class GroundTruth {

    public static final String LABELS_FILE = "labels.jsonl";
    public static final String DEMAND_FILE = "demand.jsonl";
    public static final String RUN_FILE = "run.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final World world;
    private final List<Label> labels = new ArrayList<>();
    private final Map<DemandKey, Long> sold = new HashMap<>();
    private final Map<DemandKey, Double> expected = new HashMap<>();

    public GroundTruth(World world) {
        this.world = world;
    }

    /** Counts a published event into the truth (only SALE movements at dealer-operated places count). */
    public void observe(SimEvent event) {
        if (event.topic() != Topics.STOCK_MOVEMENTS) {
            return;
        }
        StockMovementRecorded movement = (StockMovementRecorded) event.value();
        if (movement.getKind() != MovementKind.SALE) {
            return;
        }
        String dealerId = world.site(movement.getLocationId()).dealerId();
        if (dealerId == null) {
            return;
        }
        LocalDate week = DemandModel.monday(LocalDate.ofInstant(movement.getOccurredAt(), ZoneOffset.UTC));
        sold.merge(new DemandKey(movement.getSku(), dealerId, week), (long) movement.getQuantity(), Long::sum);
    }

    public void expect(Map<DemandKey, Double> expectedUnits) {
        expectedUnits.forEach((key, units) -> expected.merge(key, units, Double::sum));
    }

    public void label(List<Label> newLabels) {
        labels.addAll(newLabels);
    }

    public List<Label> labels() {
        return List.copyOf(labels);
    }

    /** Weekly truth, sorted by week, dealer, SKU; weeks with expected demand but no sale appear with 0 sold. */
    public List<DemandTruth> demand() {
        Map<DemandKey, DemandTruth> rows = new HashMap<>();
        sold.forEach((k, units) -> rows.put(k, new DemandTruth(k.sku(), k.dealerId(), k.weekStart(), units,
                expected.getOrDefault(k, -1.0))));
        expected.forEach((k, units) -> rows.putIfAbsent(k, new DemandTruth(k.sku(), k.dealerId(), k.weekStart(), 0,
                units)));
        List<DemandTruth> list = new ArrayList<>(rows.values());
        list.sort(Comparator.comparing(DemandTruth::weekStart).thenComparing(DemandTruth::dealerId)
                .thenComparing(DemandTruth::sku));
        return list;
    }

    /** Writes labels, demand and the run description into {@code runDir} (replacing earlier files). */
    public void write(Path runDir, Map<String, Object> run) {
        try {
            Files.createDirectories(runDir);
            try (BufferedWriter out = Files.newBufferedWriter(runDir.resolve(LABELS_FILE), StandardCharsets.UTF_8)) {
                for (Label label : labels) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("labelId", label.labelId());
                    row.put("kind", label.kind().name());
                    row.put("positive", label.kind().positive());
                    row.put("alertTypes", label.kind().alertTypes().stream().map(Enum::name).sorted().toList());
                    row.put("keys", label.keys());
                    row.put("occurredAt", label.occurredAt().toString());
                    row.put("details", new TreeMap<>(label.details()));
                    out.write(JSON.writeValueAsString(row));
                    out.newLine();
                }
            }
            try (BufferedWriter out = Files.newBufferedWriter(runDir.resolve(DEMAND_FILE), StandardCharsets.UTF_8)) {
                for (DemandTruth d : demand()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("sku", d.sku());
                    row.put("dealerId", d.dealerId());
                    row.put("weekStart", d.weekStart().toString());
                    row.put("soldUnits", d.soldUnits());
                    row.put("expectedUnits", Math.round(d.expectedUnits() * 100) / 100.0);
                    out.write(JSON.writeValueAsString(row));
                    out.newLine();
                }
            }
            Files.writeString(runDir.resolve(RUN_FILE),
                    JSON.writerWithDefaultPrettyPrinter().writeValueAsString(run) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write ground truth to " + runDir, e);
        }
    }

    public static List<Label> readLabels(Path runDir) {
        List<Label> labels = new ArrayList<>();
        for (JsonNode row : lines(runDir.resolve(LABELS_FILE))) {
            List<String> keys = new ArrayList<>();
            row.get("keys").forEach(k -> keys.add(k.asText()));
            Map<String, String> details = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = row.get("details").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                details.put(e.getKey(), e.getValue().asText());
            }
            labels.add(new Label(row.get("labelId").asText(), AnomalyKind.valueOf(row.get("kind").asText()), keys,
                    Instant.parse(row.get("occurredAt").asText()), details));
        }
        return labels;
    }

    public static List<DemandTruth> readDemand(Path runDir) {
        List<DemandTruth> demand = new ArrayList<>();
        for (JsonNode row : lines(runDir.resolve(DEMAND_FILE))) {
            demand.add(new DemandTruth(row.get("sku").asText(), row.get("dealerId").asText(),
                    LocalDate.parse(row.get("weekStart").asText()), row.get("soldUnits").asLong(),
                    row.get("expectedUnits").asDouble()));
        }
        return demand;
    }

    private static List<JsonNode> lines(Path file) {
        try {
            List<JsonNode> rows = new ArrayList<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    rows.add(JSON.readTree(line));
                }
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + " (is it a simulator run directory?)", e);
        }
    }
}
