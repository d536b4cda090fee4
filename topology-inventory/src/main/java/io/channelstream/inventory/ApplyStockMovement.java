package io.channelstream.inventory;

import io.channelstream.events.InventoryPosition;
import io.channelstream.events.MovementKind;
import io.channelstream.events.StockMovementRecorded;
import io.channelstream.streams.RejectedRecordException;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Applies one stock movement to the position of its batch at its location and publishes the new
 * position. A movement that makes no sense (no batch, zero or negative units where units must be
 * positive) is rejected to the dead-letter topic rather than silently skewing stock.
 */
final class ApplyStockMovement implements Processor<String, StockMovementRecorded, String, InventoryPosition> {

    private KeyValueStore<String, InventoryPosition> positions;
    private ProcessorContext<String, InventoryPosition> context;

    @Override
    public void init(ProcessorContext<String, InventoryPosition> context) {
        this.context = context;
        this.positions = context.getStateStore(InventoryTopology.POSITIONS_STORE);
    }

    @Override
    public void process(Record<String, StockMovementRecorded> record) {
        StockMovementRecorded movement = record.value();
        if (movement == null) {
            return; // a tombstone on a fact topic carries nothing to apply
        }
        long delta = signedUnits(movement);
        String key = InventoryTopology.positionKey(movement.getLocationId(), movement.getSku(), movement.getBatch());
        InventoryPosition current = positions.get(key);
        InventoryPosition.Builder next = InventoryPosition.newBuilder(
                current != null ? current : InventoryTopology.emptyPosition(movement));
        long onHand = next.getOnHand() + delta;
        next.setEventId("position:" + movement.getEventId())
                .setOccurredAt(movement.getOccurredAt())
                .setOnHand(onHand)
                .setAvailable(onHand - next.getReserved() - next.getBlocked())
                .setLastMovementEventId(movement.getEventId());
        if (movement.getProductionDate() != null) {
            next.setProductionDate(movement.getProductionDate());
        }
        if (movement.getExpiryDate() != null) {
            next.setExpiryDate(movement.getExpiryDate());
        }
        InventoryPosition updated = next.build();
        positions.put(key, updated);
        context.forward(record.withKey(key).withValue(updated));
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
