package io.channelstream.inventory;

import io.channelstream.events.InventoryPosition;
import io.channelstream.events.MovementKind;
import io.channelstream.events.StockMovementRecorded;
import io.channelstream.streams.RejectedRecordException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Applies one stock movement to the position of its batch at its location. A movement that makes
 * no sense (no batch, zero or negative units where units must be positive) or takes a recalled
 * batch out of stock is rejected to the dead-letter topic rather than silently skewing stock.
 * Also re-checks expiry of every held batch on a wall-clock schedule: batches age without events.
 */
final class ApplyStockMovement implements Processor<String, StockMovementRecorded, String, SpecificRecord> {

    private final InventoryRules rules;
    private StockLedger ledger;

    ApplyStockMovement(InventoryRules rules) {
        this.rules = rules;
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.ledger = new StockLedger(context, rules);
        context.schedule(rules.expiryReviewInterval(), PunctuationType.WALL_CLOCK_TIME, ledger::reviewAllExpiries);
    }

    @Override
    public void process(Record<String, StockMovementRecorded> record) {
        StockMovementRecorded movement = record.value();
        if (movement == null) {
            return; // a tombstone on a fact topic carries nothing to apply
        }
        apply(ledger, movement, record.timestamp());
    }

    /**
     * Applies one movement to its batch's position through the ledger, in one read and one write of the SKU's
     * stock record: the one path by which a movement changes stock, whether it came from the topic or from a
     * transfer's dispatch.
     */
    static void apply(StockLedger ledger, StockMovementRecorded movement, long timestamp) {
        long delta = signedUnits(movement);
        if (delta < 0 && ledger.isLocked(movement.getSku(), movement.getBatch())) {
            throw new RejectedRecordException("batch", "batch " + movement.getBatch() + " of " + movement.getSku()
                    + " is locked for recall: it may not leave stock (" + movement.getKind() + ")");
        }
        ledger.change(movement.getLocationId(), movement.getSku(), movement.getBatch(),
                current -> moved(current, movement, delta), timestamp);
    }

    private static InventoryPosition moved(InventoryPosition current, StockMovementRecorded movement, long delta) {
        InventoryPosition was = current != null ? current
                : InventoryTopology.emptyPosition(movement.getLocationId(), movement.getSku(), movement.getBatch());
        long onHand = was.getOnHand() + delta;
        // the all-fields constructor, not a builder: a builder deep-copies every field of the position it starts from
        return new InventoryPosition("position:" + movement.getEventId(), movement.getOccurredAt(), was.getSource(),
                was.getLocationId(), was.getSku(), was.getBatch(), onHand, was.getReserved(), was.getBlocked(),
                onHand - was.getReserved() - was.getBlocked(),
                movement.getProductionDate() != null ? movement.getProductionDate() : was.getProductionDate(),
                movement.getExpiryDate() != null ? movement.getExpiryDate() : was.getExpiryDate(),
                movement.getEventId());
    }

    /** Units added to (positive) or taken from (negative) the batch's on-hand quantity. */
    static long signedUnits(StockMovementRecorded movement) {
        require(movement.getLocationId(), "locationId");
        require(movement.getSku(), "sku");
        require(movement.getBatch(), "batch");
        int quantity = movement.getQuantity();
        MovementKind kind = movement.getKind();
        if (kind == MovementKind.ADJUSTMENT) {
            if (quantity == 0) {
                throw new RejectedRecordException("quantity", "an adjustment of zero units changes nothing");
            }
            return quantity;
        }
        if (quantity <= 0) {
            throw new RejectedRecordException("quantity",
                    "must be positive for a " + kind + " movement, was " + quantity);
        }
        return switch (kind) {
            case RECEIPT, TRANSFER_IN -> quantity;
            case SALE, TRANSFER_OUT, SHIPMENT_OUT -> -quantity;
            default -> throw new RejectedRecordException("kind", "unknown movement kind " + kind);
        };
    }

    private static void require(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new RejectedRecordException(field, "must not be blank");
        }
    }
}
