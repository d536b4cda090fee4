package io.channelstream.inventory;

import io.channelstream.events.StockMovementRecorded;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Puts a received transfer's units into the destination's stock: the TRANSFER_IN movements the source's task
 * derived from the receipt (same batch and dates), applied through the same path as every movement. Unlike
 * {@link ApplyStockMovement} it schedules nothing: the expiry review runs once per task already.
 */
final class ApplyTransferReceipt implements Processor<String, StockMovementRecorded, String, SpecificRecord> {

    private final InventoryRules rules;
    private StockLedger ledger;

    ApplyTransferReceipt(InventoryRules rules) {
        this.rules = rules;
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.ledger = new StockLedger(context, rules);
    }

    @Override
    public void process(Record<String, StockMovementRecorded> record) {
        ApplyStockMovement.apply(ledger, record.value(), record.timestamp());
    }
}
