package io.channelstream.forecast;

import io.channelstream.forecast.model.WeekCalendar;
import io.channelstream.schemas.Topics;
import java.time.Instant;
import java.time.LocalDate;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.WindowStore;

/**
 * Weekly units and revenue per region × SKU (orders by ship-to region, sales by the store's region). A record
 * brings one fact's lines for one region (key regionCode); each line is counted under {@code regionCode|sku}.
 */
final class KeepRegionalDemand implements Processor<String, Signal.ForRegion, Void, Void> {

    private final WeekCalendar calendar;
    private WindowStore<String, WeekTally> weekly;

    KeepRegionalDemand(ForecastConfig config) {
        this.calendar = config.weeks();
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        weekly = context.getStateStore(ForecastTopology.REGIONAL_WEEKLY_DEMAND_STORE);
    }

    @Override
    public void process(Record<String, Signal.ForRegion> record) {
        Signal.ForRegion demand = record.value();
        if (record.key() == null || demand == null) {
            return;
        }
        Instant at = Instant.ofEpochMilli(demand.occurredAtMillis());
        LocalDate week = calendar.weekStart(at);
        long weekStartMillis = calendar.startOf(week).toEpochMilli();
        int day = calendar.dayIndex(at);
        for (Signal.RegionalLine line : demand.lines()) {
            String key = Topics.key(record.key(), line.sku());
            WeekTally tally = weekly.fetch(key, weekStartMillis);
            // kept in the "ordered" columns: a region's demand is one series, whatever its source
            weekly.put(key, (tally == null ? WeekTally.empty() : tally).plus(
                    new Signal.Demand(demand.occurredAtMillis(), line.units(), line.revenueFen(), 0, false), day),
                    weekStartMillis);
        }
    }
}
