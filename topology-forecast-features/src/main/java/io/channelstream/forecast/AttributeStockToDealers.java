package io.channelstream.forecast;

import io.channelstream.events.InventoryPosition;
import io.channelstream.events.LocationUpserted;
import io.channelstream.schemas.Topics;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A dealer's available stock of a SKU is the sum over the batches at the locations it operates. Each
 * batch position (inventory-positions, the inventory topology's output) is remembered with the dealer
 * it was counted for, so a new position passes on exactly the change, and a location that changes
 * hands moves its stock from one dealer's sum to the other's.
 */
final class AttributeStockToDealers implements Processor<String, InventoryPosition, String, Signal> {

    private ProcessorContext<String, Signal> context;
    private KeyValueStore<String, LocationUpserted> locations;
    private KeyValueStore<String, String> countedFor;

    @Override
    public void init(ProcessorContext<String, Signal> context) {
        this.context = context;
        this.locations = context.getStateStore(ForecastTopology.LOCATIONS_STORE);
        this.countedFor = context.getStateStore(ForecastTopology.BATCH_AVAILABLE_STORE);
    }

    @Override
    public void process(Record<String, InventoryPosition> record) {
        String batchKey = record.key();
        if (batchKey == null) {
            return;
        }
        InventoryPosition position = record.value();
        Counted before = Counted.parse(countedFor.get(batchKey));
        Counted after = position == null ? null : counted(position);
        long timestamp = context.currentStreamTimeMs();
        if (before != null && after != null && before.dealerId().equals(after.dealerId())
                && before.sku().equals(after.sku())) {
            long change = after.available() - before.available();
            if (change != 0) {
                send(after.dealerId(), after.sku(), change, timestamp);
            }
        } else {
            if (before != null) {
                send(before.dealerId(), before.sku(), -before.available(), timestamp);
            }
            if (after != null && after.available() != 0) {
                send(after.dealerId(), after.sku(), after.available(), timestamp);
            }
        }
        if (after == null) {
            countedFor.delete(batchKey);
        } else {
            countedFor.put(batchKey, after.format());
        }
    }

    private Counted counted(InventoryPosition position) {
        LocationUpserted location = locations.get(position.getLocationId());
        if (location == null || location.getDealerId() == null) {
            return null; // the brand's own warehouses, or a place master data does not know: no dealer's stock
        }
        return new Counted(location.getDealerId(), position.getSku(), position.getAvailable());
    }

    private void send(String dealerId, String sku, long units, long timestamp) {
        context.forward(new Record<>(dealerId, new Signal.ForDealer(List.of(new Signal.SkuChange(sku, null, 0, units))),
                timestamp));
    }

    /** What a batch position contributed, and to whom: {@code dealerId|sku|available}. */
    private record Counted(String dealerId, String sku, long available) {

        String format() {
            return Topics.key(dealerId, sku, Long.toString(available));
        }

        static Counted parse(String stored) {
            if (stored == null) {
                return null;
            }
            var parts = Topics.keyParts(stored);
            return new Counted(parts.get(0), parts.get(1), Long.parseLong(Objects.requireNonNull(parts.get(2))));
        }
    }
}
