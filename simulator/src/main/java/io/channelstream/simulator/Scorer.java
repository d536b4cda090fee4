package io.channelstream.simulator;

import io.channelstream.events.Alert;
import io.channelstream.events.AlertStatus;
import io.channelstream.events.AlertType;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Compares what the system produced with the ground truth.
 *
 * <p>Alerts: only raised ones count, one per {@code conditionKey} (a condition raised twice is one alert).
 * An alert answers a label when its type is one of the label kind's alert types and it names one of the
 * label's keys ({@link AlertKeys}). Per positive kind: precision = alerts of its types that answer a label
 * of that kind / alerts of its types; recall = labels of that kind answered by at least one alert. A kind
 * none of whose alert types appears on the topic is reported as not built yet, never as zero. Look-alikes
 * report how many of them drew a false alarm.
 *
 * <p>Forecasts: WAPE = Σ|forecast − sold| / Σ sold, ours and a last-week-naive baseline's on the same
 * (SKU, dealer, week) points: those forecast whose week and the week before it the truth holds (a dealer × SKU the
 * truth does not hold, e.g. a tier-1 dealer who sells nothing, is not a point; without the week before, the baseline
 * has nothing to say). Forecasts left out are counted, by reason.
 */
public final class Scorer {

    public record KindScore(AnomalyKind kind, boolean built, int labels, int alerts, int answeringAlerts,
                            int labelsFound) {
        public double precision() {
            return alerts == 0 ? Double.NaN : (double) answeringAlerts / alerts;
        }

        public double recall() {
            return labels == 0 ? Double.NaN : (double) labelsFound / labels;
        }
    }

    public record LookAlikeScore(AnomalyKind kind, boolean built, int labels, int falseAlarms) {}

    /**
     * @param points               points scored, the same for ours and the baseline; 0 with {@code built} false when
     *                             no forecast was found
     * @param leftOutNotInTruth    forecasts of a dealer × SKU × week the truth does not hold
     * @param leftOutNoWeekBefore  forecasts whose week the truth holds but not the week before (no baseline)
     */
    public record ForecastScore(boolean built, String source, int points, double wape, double naiveWape,
                                int leftOutNotInTruth, int leftOutNoWeekBefore) {}

    public record Report(List<KindScore> kinds, List<LookAlikeScore> lookAlikes,
                         Map<AlertType, Integer> alertsWithoutTruth, ForecastScore forecast) {

        public Optional<KindScore> kind(AnomalyKind kind) {
            return kinds.stream().filter(k -> k.kind() == kind).findFirst();
        }

        public String render() {
            StringBuilder out = new StringBuilder();
            out.append(String.format(Locale.ROOT, "%-20s %7s %7s %10s %8s%n", "alert kind", "labels", "alerts",
                    "precision", "recall"));
            for (KindScore k : kinds) {
                if (!k.built()) {
                    out.append(String.format(Locale.ROOT, "%-20s %7d %7s   not built yet (no %s alert on the topic)%n",
                            k.kind(), k.labels(), "-", typesOf(k.kind())));
                } else {
                    out.append(String.format(Locale.ROOT, "%-20s %7d %7d %10s %8s%n", k.kind(), k.labels(), k.alerts(),
                            percent(k.precision()), percent(k.recall())));
                }
            }
            out.append(String.format(Locale.ROOT, "%n%-20s %7s %13s%n", "look-alike", "labels", "false alarms"));
            for (LookAlikeScore l : lookAlikes) {
                out.append(l.built()
                        ? String.format(Locale.ROOT, "%-20s %7d %13d%n", l.kind(), l.labels(), l.falseAlarms())
                        : String.format(Locale.ROOT, "%-20s %7d   not built yet (no %s alert on the topic)%n",
                                l.kind(), l.labels(), typesOf(l.kind())));
            }
            if (!alertsWithoutTruth.isEmpty()) {
                out.append("\nalerts with no ground truth here (inventory rules etc.): ").append(alertsWithoutTruth)
                        .append('\n');
            }
            out.append('\n');
            if (!forecast.built()) {
                out.append("forecast WAPE: not built yet (").append(forecast.source()).append(")\n");
            } else {
                out.append(String.format(Locale.ROOT, "forecast WAPE: %s over %d SKU x dealer x week points (%s); "
                                + "last-week naive on the same points: %s%n", percent(forecast.wape()),
                        forecast.points(), forecast.source(), percent(forecast.naiveWape())));
                out.append(String.format(Locale.ROOT, "forecasts left out: %d of a dealer x SKU x week the truth does "
                                + "not hold, %d without the week before in the truth%n", forecast.leftOutNotInTruth(),
                        forecast.leftOutNoWeekBefore()));
            }
            return out.toString();
        }

        private static String typesOf(AnomalyKind kind) {
            return String.join("/", kind.alertTypes().stream().map(Enum::name).sorted().toList());
        }

        private static String percent(double value) {
            return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, "%.1f%%", value * 100);
        }
    }

    private Scorer() {
    }

    /**
     * @param forecasts the forecasts found, or empty with the reason none was found in {@code forecastSource}
     */
    public static Report score(List<Label> labels, List<Alert> alerts, List<DemandTruth> demand,
                               Optional<List<ForecastPoint>> forecasts, String forecastSource) {
        List<Alert> raised = dedupe(alerts);
        Set<AlertType> seen = EnumSet.noneOf(AlertType.class);
        raised.forEach(a -> seen.add(a.getAlertType()));

        List<KindScore> kinds = new ArrayList<>();
        List<LookAlikeScore> lookAlikes = new ArrayList<>();
        Set<AlertType> withTruth = EnumSet.noneOf(AlertType.class);
        for (AnomalyKind kind : AnomalyKind.values()) {
            withTruth.addAll(kind.alertTypes());
            List<Label> ofKind = labels.stream().filter(l -> l.kind() == kind).toList();
            List<Alert> ofTypes = raised.stream().filter(a -> kind.alertTypes().contains(a.getAlertType())).toList();
            boolean built = kind.alertTypes().stream().anyMatch(seen::contains);
            int found = 0;
            for (Label label : ofKind) {
                if (ofTypes.stream().anyMatch(a -> answers(a, label))) {
                    found++;
                }
            }
            if (kind.positive()) {
                int answering = (int) ofTypes.stream()
                        .filter(a -> ofKind.stream().anyMatch(l -> answers(a, l))).count();
                kinds.add(new KindScore(kind, built, ofKind.size(), ofTypes.size(), answering, found));
            } else {
                lookAlikes.add(new LookAlikeScore(kind, built, ofKind.size(), found));
            }
        }
        Map<AlertType, Integer> without = new EnumMap<>(AlertType.class);
        raised.stream().filter(a -> !withTruth.contains(a.getAlertType()))
                .forEach(a -> without.merge(a.getAlertType(), 1, Integer::sum));
        return new Report(kinds, lookAlikes, without, scoreForecasts(demand, forecasts, forecastSource));
    }

    static boolean answers(Alert alert, Label label) {
        if (!label.kind().alertTypes().contains(alert.getAlertType())) {
            return false;
        }
        Set<String> keys = AlertKeys.of(alert);
        return label.keys().stream().anyMatch(keys::contains);
    }

    /** Raised alerts, one per condition key, first seen wins. */
    static List<Alert> dedupe(List<Alert> alerts) {
        Map<String, Alert> byCondition = new LinkedHashMap<>();
        for (Alert alert : alerts) {
            if (alert.getStatus() == AlertStatus.RAISED) {
                byCondition.putIfAbsent(alert.getAlertType() + "|" + alert.getConditionKey(), alert);
            }
        }
        return List.copyOf(byCondition.values());
    }

    static ForecastScore scoreForecasts(List<DemandTruth> demand, Optional<List<ForecastPoint>> forecasts,
                                        String source) {
        if (forecasts.isEmpty() || forecasts.get().isEmpty()) {
            return new ForecastScore(false, source, 0, Double.NaN, Double.NaN, 0, 0);
        }
        Map<String, Long> sold = new HashMap<>();
        LocalDate lastWeek = LocalDate.MIN;
        for (DemandTruth d : demand) {
            sold.put(key(d.sku(), d.dealerId(), d.weekStart()), d.soldUnits());
            lastWeek = d.weekStart().isAfter(lastWeek) ? d.weekStart() : lastWeek;
        }
        // the last forecast per point counts; points for weeks the truth does not cover yet are not scored
        Map<String, ForecastPoint> latest = new LinkedHashMap<>();
        for (ForecastPoint f : forecasts.get()) {
            if (!f.weekStart().isAfter(lastWeek)) {
                latest.put(key(f.sku(), f.dealerId(), f.weekStart()), f);
            }
        }
        if (latest.isEmpty()) {
            return new ForecastScore(false, source + ": no forecast for a week the truth covers (last: "
                    + lastWeek + ")", 0, Double.NaN, Double.NaN, 0, 0);
        }
        double error = 0;
        double naiveError = 0;
        double actual = 0;
        int points = 0;
        int notInTruth = 0;
        int noWeekBefore = 0;
        for (ForecastPoint f : latest.values()) {
            Long truth = sold.get(key(f.sku(), f.dealerId(), f.weekStart()));
            Long weekBefore = sold.get(key(f.sku(), f.dealerId(), f.weekStart().minusWeeks(1)));
            if (truth == null) {
                notInTruth++;
            } else if (weekBefore == null) {
                noWeekBefore++;
            } else {
                error += Math.abs(f.forecastUnits() - truth);
                naiveError += Math.abs(weekBefore - truth);
                actual += truth;
                points++;
            }
        }
        return new ForecastScore(true, source, points, actual == 0 ? Double.NaN : error / actual,
                actual == 0 ? Double.NaN : naiveError / actual, notInTruth, noWeekBefore);
    }

    private static String key(String sku, String dealerId, LocalDate week) {
        return sku + "|" + dealerId + "|" + week;
    }
}
