package io.channelstream.forecast;

import io.channelstream.events.LocationUpserted;
import io.channelstream.events.MovementKind;
import io.channelstream.events.StockMovementRecorded;
import io.channelstream.schemas.Topics;
import io.channelstream.streams.RejectedRecordException;
import java.util.List;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A store sale is sell-out demand of the dealer operating the store, and demand of the store's region.
 * Which dealer and region comes from master data (master.locations). A sale of a closed week is
 * reported as late instead of counted.
 */
final class AttributeSales implements Processor<String, StockMovementRecorded, String, Signal> {

    private final ForecastConfig config;
    private final WeekClock clock;
    private ProcessorContext<String, Signal> context;
    private KeyValueStore<String, LocationUpserted> locations;

    AttributeSales(ForecastConfig config) {
        this.config = config;
        this.clock = new WeekClock(config);
    }

    @Override
    public void init(ProcessorContext<String, Signal> context) {
        this.context = context;
        this.locations = context.getStateStore(ForecastTopology.LOCATIONS_STORE);
    }

    @Override
    public void process(Record<String, StockMovementRecorded> record) {
        StockMovementRecorded sale = record.value();
        if (sale == null || sale.getKind() != MovementKind.SALE) {
            return;
        }
        if (sale.getQuantity() <= 0) {
            throw new RejectedRecordException("quantity", "must be positive for a SALE movement, was "
                    + sale.getQuantity());
        }
        if (sale.getSku() == null || sale.getSku().isBlank() || sale.getSku().contains(Topics.KEY_SEPARATOR)) {
            throw new RejectedRecordException("sku", "must be a non-blank SKU without '|'");
        }
        LocationUpserted location = sale.getLocationId() == null ? null : locations.get(sale.getLocationId());
        if (location == null) {
            throw new RejectedRecordException("locationId", "unknown location '" + sale.getLocationId()
                    + "': the sale cannot be attributed to a dealer or a region");
        }
        long occurredAt = sale.getOccurredAt().toEpochMilli();
        long streamTime = context.currentStreamTimeMs();
        long units = sale.getQuantity();
        if (clock.isClosed(occurredAt, streamTime)) {
            context.forward(new Record<>(record.key(), new Signal.Late(clock.lateEvent(Topics.STOCK_MOVEMENTS.name(),
                    sale.getEventId(), "SALE", location.getDealerId(), units, occurredAt, streamTime,
                    "sale of a week that had already closed; not counted in weekly demand")), streamTime));
            return;
        }
        Signal.Demand demand = Signal.Demand.sellOut(sale);
        if (location.getDealerId() != null) {
            context.forward(new Record<>(location.getDealerId(),
                    new Signal.ForDealer(List.of(new Signal.SkuChange(sale.getSku(), demand, 0, 0))), streamTime));
        }
        context.forward(new Record<>(ForecastTopology.regionAtLevel(location.getRegionCode(), config.regionLevel()),
                new Signal.ForRegion(occurredAt, List.of(new Signal.RegionalLine(sale.getSku(), units,
                        demand.revenueFen()))), streamTime));
    }
}
