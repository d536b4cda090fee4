package io.channelstream.inventory;

import io.channelstream.events.InventoryPosition;
import io.channelstream.events.OrderReservation;
import io.channelstream.events.ReservationLine;
import io.channelstream.events.ReservationStatus;
import io.channelstream.events.ShipmentDispatched;
import io.channelstream.events.ShipmentLine;
import io.channelstream.streams.RejectedRecordException;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A dispatched shipment takes its batches out of the sending location's stock and consumes the
 * order's reservation there (first from the batches shipped, then from the other batches held for
 * the same SKU), so the units are neither counted twice nor left reserved.
 */
final class ConsumeShipment implements Processor<String, ShipmentDispatched, String, SpecificRecord> {

    private final InventoryRules rules;
    private ProcessorContext<String, SpecificRecord> context;
    private StockLedger ledger;
    private KeyValueStore<String, OrderReservation> reservations;
    private KeyValueStore<String, OrderReservation> outcomes;

    ConsumeShipment(InventoryRules rules) {
        this.rules = rules;
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        this.ledger = new StockLedger(context, rules);
        this.reservations = context.getStateStore(InventoryTopology.RESERVATIONS_STORE);
        this.outcomes = context.getStateStore(InventoryTopology.ORDER_OUTCOMES_STORE);
    }

    @Override
    public void process(Record<String, ShipmentDispatched> record) {
        ShipmentDispatched shipment = record.value();
        String locationId = record.key();
        if (shipment.getLines().isEmpty()) {
            throw new RejectedRecordException("lines", "a shipment must carry at least one line");
        }
        String reservationKey = shipment.getOrderId() == null ? null
                : InventoryTopology.reservationKey(locationId, shipment.getOrderId());
        OrderReservation reservation = reservationKey == null ? null : reservations.get(reservationKey);
        List<ReservationLine> stillHeld = reservation == null ? new ArrayList<>()
                : new ArrayList<>(reservation.getLines());
        for (ShipmentLine line : shipment.getLines()) {
            if (line.getQuantity() <= 0) {
                throw new RejectedRecordException("lines.quantity", "must be positive, was " + line.getQuantity());
            }
            takeOut(shipment, locationId, line, record.timestamp());
            consumeReservation(shipment, locationId, line, stillHeld, record.timestamp());
        }
        if (reservation == null && reservationKey != null && outcomes.get(reservationKey) == null) {
            // the order has not reached this location yet: remember it was shipped, so it holds nothing when it does
            outcomes.put(reservationKey, shippedBeforeOrder(shipment, locationId));
        }
        if (reservation != null) {
            List<ReservationLine> remaining = stillHeld.stream().filter(line -> line.getQuantity() > 0).toList();
            if (remaining.isEmpty()) {
                reservations.delete(reservationKey);
            } else { // a partial shipment: the rest stays held for the next one
                reservations.put(reservationKey, OrderReservation.newBuilder(reservation).setLines(remaining).build());
            }
            OrderReservation outcome = OrderReservation.newBuilder(reservation)
                    .setEventId("reservation:" + shipment.getEventId())
                    .setOccurredAt(shipment.getOccurredAt())
                    .setStatus(remaining.isEmpty() ? ReservationStatus.CONSUMED : ReservationStatus.RESERVED)
                    .setLines(remaining.isEmpty() ? reservation.getLines() : remaining)
                    .setReason("shipment " + shipment.getShipmentId()
                            + (remaining.isEmpty() ? "" : " shipped part of the order; the rest stays held"))
                    .build();
            outcomes.put(reservationKey, outcome);
            context.forward(new Record<>(shipment.getOrderId(), outcome, record.timestamp()));
        }
    }

    /**
     * The outcome kept for an order shipped before it was seen here: CONSUMED by the shipment's lines, with no
     * dealer yet (the shipment does not name it; the placement, when it comes, answers with its own dealer).
     */
    private static OrderReservation shippedBeforeOrder(ShipmentDispatched shipment, String locationId) {
        return OrderReservation.newBuilder()
                .setEventId("reservation:" + shipment.getEventId())
                .setOccurredAt(shipment.getOccurredAt())
                .setSource("topology-inventory")
                .setOrderId(shipment.getOrderId())
                .setDealerId(NO_DEALER_YET)
                .setLocationId(locationId)
                .setStatus(ReservationStatus.CONSUMED)
                .setLines(shipment.getLines().stream()
                        .map(line -> new ReservationLine(line.getSku(), line.getBatch(), line.getQuantity(), 0))
                        .toList())
                .setReason("shipment " + shipment.getShipmentId() + " left before the order reached " + locationId)
                .build();
    }

    /** The dealer of an outcome kept before its order was seen (the schema requires one). */
    static final String NO_DEALER_YET = "";

    private void takeOut(ShipmentDispatched shipment, String locationId, ShipmentLine line, long timestamp) {
        InventoryPosition current = ledger.position(locationId, line.getSku(), line.getBatch());
        InventoryPosition.Builder next = InventoryPosition.newBuilder(current != null ? current
                : InventoryTopology.emptyPosition(locationId, line.getSku(), line.getBatch()));
        long onHand = next.getOnHand() - line.getQuantity();
        ledger.save(next.setEventId("position:" + shipment.getEventId() + ":" + line.getBatch())
                .setOccurredAt(shipment.getOccurredAt())
                .setOnHand(onHand)
                .setAvailable(onHand - next.getReserved() - next.getBlocked())
                .build(), timestamp);
    }

    private void consumeReservation(ShipmentDispatched shipment, String locationId, ShipmentLine line,
                                    List<ReservationLine> held, long timestamp) {
        int toConsume = line.getQuantity();
        held.sort((a, b) -> Boolean.compare(!a.getBatch().equals(line.getBatch()), !b.getBatch().equals(line.getBatch())));
        for (int i = 0; i < held.size() && toConsume > 0; i++) {
            ReservationLine reserved = held.get(i);
            if (!reserved.getSku().equals(line.getSku()) || reserved.getQuantity() == 0) {
                continue;
            }
            int consumed = Math.min(toConsume, reserved.getQuantity());
            InventoryPosition position = ledger.position(locationId, reserved.getSku(), reserved.getBatch());
            long stillReserved = Math.max(0, position.getReserved() - consumed);
            ledger.save(InventoryPosition.newBuilder(position)
                    .setEventId("position:" + shipment.getEventId() + ":released:" + reserved.getBatch())
                    .setReserved(stillReserved)
                    .setAvailable(position.getOnHand() - stillReserved - position.getBlocked())
                    .build(), timestamp);
            held.set(i, new ReservationLine(reserved.getSku(), reserved.getBatch(), reserved.getQuantity() - consumed, 0));
            toConsume -= consumed;
        }
    }
}
