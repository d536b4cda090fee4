package io.channelstream.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.channelstream.events.Alert;
import io.channelstream.events.AlertStatus;
import io.channelstream.events.AlertType;
import io.channelstream.events.Severity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScorerTest {

    private static final String CODE_A = "https://id.channelstream.example/01/06923456000015/10/B1/21/1000000101";
    private static final String CODE_B = "https://id.channelstream.example/01/06923456000015/10/B1/21/1000000102";
    private static final String CODE_TRAVEL = "https://id.channelstream.example/01/06923456000015/10/B1/21/1000000203";

    private final List<Label> labels = List.of(
            label("L1", AnomalyKind.DIVERSION, CODE_A),
            label("L2", AnomalyKind.DIVERSION, CODE_B),
            label("L3", AnomalyKind.CROSS_REGION_ORDER, "t1-O17"),
            label("L4", AnomalyKind.CONSUMER_TRAVEL, CODE_TRAVEL),
            label("L5", AnomalyKind.CLONED_CODE, "https://id.channelstream.example/01/06923456000015/10/B1/21/9"));

    @Test
    void precisionAndRecallPerKindOnATinyAlertSet() {
        List<Alert> alerts = List.of(
                // two conditions answering L1 (one by code, one through the evidence), one repeat of the first
                alert("a1", AlertType.DIVERSION, "DIVERSION|" + CODE_A, CODE_A, Map.of()),
                alert("a2", AlertType.CONSUMER_DIVERSION_CLUSTER, "CLUSTER|D2-0001|44", null, Map.of("code", CODE_A)),
                alert("a1-again", AlertType.DIVERSION, "DIVERSION|" + CODE_A, CODE_A, Map.of()),
                // a false alarm on the travelling consumer
                alert("a3", AlertType.DIVERSION, "DIVERSION|" + CODE_TRAVEL, CODE_TRAVEL, Map.of()),
                // the cross-region order, found through its condition key
                alert("a4", AlertType.CROSS_REGION_ORDER, "CROSS_REGION_ORDER|t1-O17", null, Map.of()),
                // an inventory alert: no ground truth for it here
                alert("a5", AlertType.BELOW_SAFETY_STOCK, "BELOW_SAFETY_STOCK|ST-0001|SKU-1", null, Map.of()));

        Scorer.Report report = Scorer.score(labels, alerts, List.of(), Optional.empty(), "no topic 'x'");

        Scorer.KindScore diversion = report.kind(AnomalyKind.DIVERSION).orElseThrow();
        assertThat(diversion.alerts()).isEqualTo(3);
        assertThat(diversion.precision()).isEqualTo(2.0 / 3);
        assertThat(diversion.recall()).isEqualTo(0.5);
        Scorer.KindScore orders = report.kind(AnomalyKind.CROSS_REGION_ORDER).orElseThrow();
        assertThat(orders.precision()).isEqualTo(1.0);
        assertThat(orders.recall()).isEqualTo(1.0);
        assertThat(report.lookAlikes()).filteredOn(l -> l.kind() == AnomalyKind.CONSUMER_TRAVEL)
                .singleElement().satisfies(l -> assertThat(l.falseAlarms()).isEqualTo(1));
        assertThat(report.alertsWithoutTruth()).containsEntry(AlertType.BELOW_SAFETY_STOCK, 1);

        String printed = report.render();
        assertThat(printed).contains("DIVERSION").contains("66.7%").contains("50.0%");
    }

    @Test
    void kindsWithoutAnyAlertPrintAsNotBuiltYetNeverAsZero() {
        List<Alert> alerts = List.of(alert("a1", AlertType.DIVERSION, "DIVERSION|" + CODE_A, CODE_A, Map.of()));

        String printed = Scorer.score(labels, alerts, List.of(), Optional.empty(), "no topic 'forecast.order-suggestions'")
                .render();

        assertThat(line(printed, "CLONED_CODE")).contains("not built yet").doesNotContain("0.0%");
        assertThat(line(printed, "CROSS_REGION_ORDER")).contains("not built yet");
        assertThat(line(printed, "UNKNOWN_CODE")).contains("not built yet");
        assertThat(line(printed, "DIVERSION ")).contains("100.0%").contains("50.0%");
        assertThat(printed).contains("forecast WAPE: not built yet (no topic 'forecast.order-suggestions')");
    }

    @Test
    void wapeComparesForecastsWithSoldUnitsOfWeeksTheTruthCovers() {
        LocalDate w1 = LocalDate.of(2026, 6, 1);
        LocalDate w2 = w1.plusWeeks(1);
        List<DemandTruth> demand = List.of(
                new DemandTruth("SKU-1", "D2-0001", w1, 6, 6.0),
                new DemandTruth("SKU-1", "D2-0001", w2, 8, 8.0),
                new DemandTruth("SKU-2", "D2-0001", w1, 4, 4.0),
                new DemandTruth("SKU-2", "D2-0001", w2, 10, 10.0));
        List<ForecastPoint> forecasts = List.of(
                new ForecastPoint("SKU-1", "D2-0001", w2, 10),
                new ForecastPoint("SKU-2", "D2-0001", w2, 5),
                new ForecastPoint("SKU-2", "D2-0001", w2.plusWeeks(1), 99)); // not happened yet: not scored

        Scorer.ForecastScore score = Scorer.score(List.of(), List.of(), demand, Optional.of(forecasts), "test")
                .forecast();

        assertThat(score.built()).isTrue();
        assertThat(score.points()).isEqualTo(2);
        assertThat(score.wape()).isEqualTo((2.0 + 5.0) / 18.0);
        assertThat(score.naiveWape()).isEqualTo((2.0 + 6.0) / 18.0);
    }

    @Test
    void oursAndTheBaselineAreScoredOnTheSamePointsOnlyWhereTheTruthHoldsThem() {
        LocalDate w1 = LocalDate.of(2026, 6, 1);
        LocalDate w2 = w1.plusWeeks(1);
        List<DemandTruth> demand = List.of(
                new DemandTruth("SKU-1", "D2-0001", w1, 6, 6.0),
                new DemandTruth("SKU-1", "D2-0001", w2, 8, 8.0),
                new DemandTruth("SKU-3", "D2-0001", w2, 7, 7.0)); // sold from week 2 on: no week before
        List<ForecastPoint> forecasts = List.of(
                new ForecastPoint("SKU-1", "D2-0001", w1, 0),   // the first week: no week before, no history
                new ForecastPoint("SKU-1", "D2-0001", w2, 10),
                new ForecastPoint("SKU-3", "D2-0001", w2, 0),
                new ForecastPoint("SKU-1", "D1-0001", w2, 3));  // a tier-1 dealer sells nothing: not in the truth

        Scorer.Report report = Scorer.score(List.of(), List.of(), demand, Optional.of(forecasts), "test");
        Scorer.ForecastScore score = report.forecast();

        // one point for both: ours |10 - 8|, last week's |6 - 8|
        assertThat(score.points()).isEqualTo(1);
        assertThat(score.wape()).isEqualTo(2.0 / 8.0);
        assertThat(score.naiveWape()).isEqualTo(2.0 / 8.0);
        assertThat(score.leftOutNotInTruth()).isEqualTo(1);
        assertThat(score.leftOutNoWeekBefore()).isEqualTo(2);
        assertThat(report.render()).contains("forecast WAPE: 25.0% over 1 SKU x dealer x week points (test); "
                + "last-week naive on the same points: 25.0%")
                .contains("forecasts left out: 1 of a dealer x SKU x week the truth does not hold, 2 without the week "
                        + "before in the truth");
    }

    @Test
    void groundTruthRoundTripsThroughItsFiles(@TempDir Path dir) throws Exception {
        SimulatorFixture.Run run = SimulatorFixture.small();
        run.simulation().truth().write(dir, run.simulation().describe());

        assertThat(GroundTruth.readLabels(dir)).isEqualTo(run.simulation().truth().labels());
        assertThat(GroundTruth.readDemand(dir)).extracting(DemandTruth::soldUnits)
                .isEqualTo(run.simulation().truth().demand().stream().map(DemandTruth::soldUnits).toList());
        assertThat(Files.readString(dir.resolve(GroundTruth.RUN_FILE))).contains("\"seed\" : 11");
    }

    private static String line(String text, String start) {
        return text.lines().filter(l -> l.startsWith(start)).findFirst().orElseThrow();
    }

    private static Label label(String id, AnomalyKind kind, String key) {
        return new Label(id, kind, List.of(key), Instant.parse("2026-06-02T03:00:00Z"), Map.of());
    }

    private static Alert alert(String id, AlertType type, String conditionKey, String code, Map<String, String> evidence) {
        return Alert.newBuilder().setEventId(id).setOccurredAt(Instant.parse("2026-06-02T04:00:00Z"))
                .setSource("test").setAlertType(type).setSeverity(Severity.WARNING).setStatus(AlertStatus.RAISED)
                .setConditionKey(conditionKey).setRegionCode("44").setCode(code).setSummary("test alert")
                .setEvidence(Map.copyOf(evidence)).build();
    }
}
