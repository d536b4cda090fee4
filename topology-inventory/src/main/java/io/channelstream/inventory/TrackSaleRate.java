package io.channelstream.inventory;

import io.channelstream.events.MovementKind;
import io.channelstream.events.StockMovementRecorded;
import io.channelstream.schemas.Topics;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps how fast each SKU sells at each location, from SALE movements (keyed {@code sku|locationId}, so a
 * SKU's rates on a partition are one prefix, read beside the network index). A sale the ledger refuses (a
 * locked batch, no units) is not counted; the ledger dead-letters it, this processor stays silent.
 */
final class TrackSaleRate implements Processor<String, StockMovementRecorded, Void, Void> {

    private KeyValueStore<String, SaleRate> rates;
    private KeyValueStore<String, Object> lockedBatches;

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.rates = context.getStateStore(InventoryTopology.SALE_RATES_STORE);
        this.lockedBatches = context.getStateStore(InventoryTopology.LOCKED_BATCHES_STORE);
    }

    /** The movements whose units count as sold. */
    static boolean isSale(StockMovementRecorded movement) {
        return movement != null && movement.getKind() == MovementKind.SALE && movement.getQuantity() > 0;
    }

    @Override
    public void process(Record<String, StockMovementRecorded> record) {
        StockMovementRecorded sale = record.value();
        if (!countable(sale)
                || lockedBatches.get(InventoryTopology.batchKey(sale.getSku(), sale.getBatch())) != null) {
            return;
        }
        String key = InventoryTopology.saleRateKey(sale.getSku(), sale.getLocationId());
        long at = sale.getOccurredAt().toEpochMilli();
        SaleRate known = rates.get(key);
        rates.put(key, known == null ? SaleRate.firstSale(sale.getQuantity(), at) : known.plus(sale.getQuantity(), at));
    }

    private static boolean countable(StockMovementRecorded sale) {
        return usable(sale.getSku()) && usable(sale.getLocationId()) && usable(sale.getBatch());
    }

    private static boolean usable(String part) {
        return part != null && !part.isBlank() && !part.contains(Topics.KEY_SEPARATOR);
    }
}
