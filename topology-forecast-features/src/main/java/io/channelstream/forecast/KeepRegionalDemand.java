package io.channelstream.forecast;

import io.channelstream.forecast.model.WeekCalendar;
import java.time.Instant;
import java.time.LocalDate;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.WindowStore;

/** Weekly units and revenue per region × SKU (orders by ship-to region, sales by the store's region). */
final class KeepRegionalDemand implements Processor<String, Signal.RegionalDemand, Void, Void> {

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
    public void process(Record<String, Signal.RegionalDemand> record) {
        Signal.RegionalDemand demand = record.value();
        if (record.key() == null || demand == null) {
            return;
        }
        Instant at = Instant.ofEpochMilli(demand.occurredAtMillis());
        LocalDate week = calendar.weekStart(at);
        long weekStartMillis = calendar.startOf(week).toEpochMilli();
        WeekTally tally = weekly.fetch(record.key(), weekStartMillis);
        // kept in the "ordered" columns: a region's demand is one series, whatever its source
        weekly.put(record.key(), (tally == null ? WeekTally.empty() : tally).plus(
                new Signal.Demand(demand.occurredAtMillis(), demand.units(), demand.revenueFen(), 0, false),
                calendar.dayIndex(at)), weekStartMillis);
    }
}
