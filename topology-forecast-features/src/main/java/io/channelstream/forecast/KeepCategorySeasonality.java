package io.channelstream.forecast;

import io.channelstream.events.Alert;
import io.channelstream.events.AlertStatus;
import io.channelstream.events.AlertType;
import io.channelstream.events.CategorySeasonality;
import io.channelstream.events.Severity;
import io.channelstream.forecast.model.SeasonalityIndex;
import io.channelstream.forecast.model.WeekCalendar;
import io.channelstream.schemas.Topics;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A category's national weekly demand, its seasonality index, and the outlook {@code
 * seasonalOutlookDays} ahead: the deseasonalised level of the last four weeks times the index of the
 * week ahead. When that rises past {@code seasonalAlertRise} over the recent weeks, a SEASONAL_DEMAND
 * alert is raised once, and cleared when the rise falls below half of the threshold (so a rise that
 * hovers at the threshold does not raise and clear every week).
 */
final class KeepCategorySeasonality
        implements Processor<String, SignalSerdes.CategoryWeekDelta, String, SpecificRecord> {

    /** Seasonality is national: the alert goes to HQ planning, not to one region's manager. */
    static final String NATIONWIDE_REGION_CODE = "000000";
    private static final int RECENT_WEEKS = 4;

    private final ForecastConfig config;
    private final WeekCalendar calendar;
    private ProcessorContext<String, SpecificRecord> context;
    private KeyValueStore<String, Long> categoryWeeks;
    private KeyValueStore<String, String> raisedAlerts;

    KeepCategorySeasonality(ForecastConfig config) {
        this.config = config;
        this.calendar = config.weeks();
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        categoryWeeks = context.getStateStore(ForecastTopology.CATEGORY_WEEKLY_DEMAND_STORE);
        raisedAlerts = context.getStateStore(ForecastTopology.SEASONAL_ALERTS_STORE);
    }

    @Override
    public void process(Record<String, SignalSerdes.CategoryWeekDelta> record) {
        String category = record.key();
        SignalSerdes.CategoryWeekDelta delta = record.value();
        if (category == null || delta == null) {
            return;
        }
        String weekKey = Topics.key(category, LocalDate.ofEpochDay(delta.weekStartEpochDay()).toString());
        Long units = categoryWeeks.get(weekKey);
        categoryWeeks.put(weekKey, (units == null ? 0 : units) + delta.units());
        long streamTime = context.currentStreamTimeMs();
        LocalDate currentWeek = calendar.weekStart(Instant.ofEpochMilli(streamTime));
        CategorySeasonality seasonality = compute(category, currentWeek, streamTime);
        if (seasonality != null) {
            context.forward(new Record<>(category, seasonality, streamTime));
            judgeOutlook(seasonality, streamTime);
        }
    }

    private CategorySeasonality compute(String category, LocalDate currentWeek, long streamTime) {
        LocalDate oldestKept = currentWeek.minusWeeks(config.categoryHistoryWeeks());
        List<KeyValue<String, Long>> rows = new ArrayList<>();
        try (KeyValueIterator<String, Long> weeks = categoryWeeks.prefixScan(category + Topics.KEY_SEPARATOR,
                Serdes.String().serializer())) {
            weeks.forEachRemaining(rows::add);
        }
        LocalDate first = null;
        List<LocalDate> tooOld = new ArrayList<>();
        for (KeyValue<String, Long> row : rows) {
            LocalDate week = LocalDate.parse(Topics.keyParts(row.key).get(1));
            if (week.isBefore(oldestKept)) {
                tooOld.add(week);
            } else if (week.isBefore(currentWeek) && (first == null || week.isBefore(first))) {
                first = week;
            }
        }
        tooOld.forEach(week -> categoryWeeks.delete(Topics.key(category, week.toString())));
        if (first == null) {
            return null; // no complete week yet
        }
        double[] weekly = new double[WeekCalendar.weeksBetween(first, currentWeek)];
        for (KeyValue<String, Long> row : rows) {
            LocalDate week = LocalDate.parse(Topics.keyParts(row.key).get(1));
            int i = WeekCalendar.weeksBetween(first, week);
            if (i >= 0 && i < weekly.length) {
                weekly[i] = row.value;
            }
        }
        SeasonalityIndex index = SeasonalityIndex.estimate(weekly, first);
        int recent = Math.min(RECENT_WEEKS, weekly.length);
        double recentUnits = 0;
        double level = 0;
        for (int i = weekly.length - recent; i < weekly.length; i++) {
            recentUnits += weekly[i];
            level += weekly[i] / Math.max(index.index(first.plusWeeks(i)), 0.05);
        }
        recentUnits /= recent;
        level /= recent;
        LocalDate outlookWeek = calendar.weekStart(Instant.ofEpochMilli(streamTime)
                .plusSeconds(config.seasonalOutlookDays() * 86_400L));
        double outlookUnits = level * index.index(outlookWeek);
        return CategorySeasonality.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setOccurredAt(Instant.ofEpochMilli(streamTime))
                .setSource(ForecastTopology.SOURCE)
                .setCategory(category)
                .setAsOfWeekStart(currentWeek)
                .setWeeksOfHistory(weekly.length)
                .setWeekOfYearIndex(Arrays.stream(index.byWeekOfYear()).boxed().toList())
                .setRecentWeeklyUnits(recentUnits)
                .setOutlookWeekStart(outlookWeek)
                .setOutlookWeeklyUnits(outlookUnits)
                .setOutlookRiseRatio(recentUnits > 0 ? outlookUnits / recentUnits - 1 : 0)
                .build();
    }

    private void judgeOutlook(CategorySeasonality seasonality, long streamTime) {
        String conditionKey = Topics.key(AlertType.SEASONAL_DEMAND.name(), seasonality.getCategory());
        boolean raised = raisedAlerts.get(seasonality.getCategory()) != null;
        double rise = seasonality.getOutlookRiseRatio();
        if (!raised && rise >= config.seasonalAlertRise()) {
            raisedAlerts.put(seasonality.getCategory(), seasonality.getOutlookWeekStart().toString());
            context.forward(new Record<>(conditionKey, alert(seasonality, conditionKey, AlertStatus.RAISED,
                    String.format(Locale.ROOT, "%s demand expected to rise %+.0f%% by the week of %s (%.0f units/week "
                                    + "against %.0f in the last %d weeks): stock up now",
                            seasonality.getCategory(), 100 * rise, seasonality.getOutlookWeekStart(),
                            seasonality.getOutlookWeeklyUnits(), seasonality.getRecentWeeklyUnits(), RECENT_WEEKS)),
                    streamTime));
        } else if (raised && rise < config.seasonalAlertRise() / 2) {
            raisedAlerts.delete(seasonality.getCategory());
            context.forward(new Record<>(conditionKey, alert(seasonality, conditionKey, AlertStatus.CLEARED,
                    String.format(Locale.ROOT, "%s seasonal rise over: expected %+.0f%% by the week of %s",
                            seasonality.getCategory(), 100 * rise, seasonality.getOutlookWeekStart())), streamTime));
        }
    }

    private static Alert alert(CategorySeasonality seasonality, String conditionKey, AlertStatus status,
                               String summary) {
        return Alert.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setOccurredAt(seasonality.getOccurredAt())
                .setSource(ForecastTopology.SOURCE)
                .setAlertType(AlertType.SEASONAL_DEMAND)
                .setSeverity(Severity.WARNING)
                .setStatus(status)
                .setConditionKey(conditionKey)
                .setRegionCode(NATIONWIDE_REGION_CODE)
                .setSummary(summary)
                .setEvidence(Map.of(
                        "category", seasonality.getCategory(),
                        "outlookWeekStart", seasonality.getOutlookWeekStart().toString(),
                        "outlookWeeklyUnits", String.format(Locale.ROOT, "%.1f", seasonality.getOutlookWeeklyUnits()),
                        "recentWeeklyUnits", String.format(Locale.ROOT, "%.1f", seasonality.getRecentWeeklyUnits()),
                        "outlookRisePercent", String.format(Locale.ROOT, "%.1f", 100 * seasonality.getOutlookRiseRatio()),
                        "weeksOfHistory", Integer.toString(seasonality.getWeeksOfHistory())))
                .build();
    }
}
