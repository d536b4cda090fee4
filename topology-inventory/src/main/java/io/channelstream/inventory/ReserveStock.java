package io.channelstream.inventory;

import io.channelstream.events.InventoryPosition;
import io.channelstream.events.OrderCancelled;
import io.channelstream.events.OrderEvent;
import io.channelstream.events.OrderLine;
import io.channelstream.events.OrderPlaced;
import io.channelstream.events.OrderReservation;
import io.channelstream.events.ReservationLine;
import io.channelstream.events.ReservationStatus;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Holds stock for an order at its fulfilling location, first expiry first out, all or nothing: an
 * order some line of which cannot be held is answered REJECTED with the shortfall per SKU and holds
 * nothing, so available never goes below zero by reservation. A cancellation gives the stock back.
 * Expired and recalled batches are never promised.
 */
final class ReserveStock implements Processor<String, OrderEvent, String, SpecificRecord> {

    private final InventoryRules rules;
    private ProcessorContext<String, SpecificRecord> context;
    private StockLedger ledger;
    private KeyValueStore<String, OrderReservation> reservations;
    private KeyValueStore<String, OrderReservation> outcomes;

    ReserveStock(InventoryRules rules) {
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
    public void process(Record<String, OrderEvent> record) {
        OrderEvent order = record.value();
        String locationId = record.key();
        String reservationKey = InventoryTopology.reservationKey(locationId, order.getOrderId());
        if (order.getPayload() instanceof OrderPlaced placed) {
            OrderReservation outcome = outcomes.get(reservationKey);
            if (outcome != null && outcome.getStatus() == ReservationStatus.CONSUMED) {
                // already shipped: a replay, or a shipment that reached this location before its order did
                // (inputs are not merged in strict event-time order); holding stock now would hold it for good
                shippedBeforeSeen(order, placed, outcome, locationId, record.timestamp());
            } else if (reservations.get(reservationKey) == null) { // a replayed placement holds nothing twice
                reserve(order, placed, locationId, reservationKey, record.timestamp());
            }
        } else if (order.getPayload() instanceof OrderCancelled) {
            release(order, locationId, reservationKey, record.timestamp());
        }
    }

    private void reserve(OrderEvent order, OrderPlaced placed, String locationId, String reservationKey,
                         long timestamp) {
        LocalDate today = LocalDate.ofInstant(order.getOccurredAt(), rules.businessZone());
        Map<String, Long> takenByPosition = new HashMap<>();
        List<ReservationLine> held = new ArrayList<>();
        List<ReservationLine> short_ = new ArrayList<>();
        for (OrderLine line : placed.getLines()) {
            int needed = line.getQuantity();
            for (InventoryPosition batch : ledger.batchesOf(locationId, line.getSku())) {
                if (needed == 0) {
                    break;
                }
                if (batch.getExpiryDate() != null && batch.getExpiryDate().isBefore(today)) {
                    continue; // expired stock is never promised
                }
                String key = InventoryTopology.positionKey(locationId, batch.getSku(), batch.getBatch());
                long free = ledger.allocatable(batch) - takenByPosition.getOrDefault(key, 0L);
                int take = (int) Math.min(needed, Math.max(0, free));
                if (take > 0) {
                    takenByPosition.merge(key, (long) take, Long::sum);
                    held.add(new ReservationLine(line.getSku(), batch.getBatch(), take, 0));
                    needed -= take;
                }
            }
            if (needed > 0) {
                short_.add(new ReservationLine(line.getSku(), null, line.getQuantity(), needed));
            }
        }
        if (!short_.isEmpty()) {
            publish(order, locationId, ReservationStatus.REJECTED, short_,
                    "not enough available stock at " + locationId, timestamp);
            return;
        }
        for (ReservationLine line : held) {
            adjustReserved(locationId, line.getSku(), line.getBatch(), line.getQuantity(), order, timestamp);
        }
        reservations.put(reservationKey,
                publish(order, locationId, ReservationStatus.RESERVED, held, null, timestamp));
    }

    /** Answers a placement whose goods were shipped before it was seen here: consumed, nothing held. */
    private void shippedBeforeSeen(OrderEvent order, OrderPlaced placed, OrderReservation consumed, String locationId,
                                   long timestamp) {
        if (consumed.getDealerId().equals(placed.getDealerId())) {
            return; // a replay of a placement already answered
        }
        publish(order, locationId, ReservationStatus.CONSUMED, consumed.getLines(), consumed.getReason(), timestamp);
    }

    private void release(OrderEvent order, String locationId, String reservationKey, long timestamp) {
        OrderReservation reservation = reservations.get(reservationKey);
        if (reservation == null) {
            return; // nothing held: the order was rejected, or already shipped or released
        }
        for (ReservationLine line : reservation.getLines()) {
            adjustReserved(locationId, line.getSku(), line.getBatch(), -line.getQuantity(), order, timestamp);
        }
        reservations.delete(reservationKey);
        publish(order, locationId, ReservationStatus.RELEASED, reservation.getLines(), "order cancelled", timestamp);
    }

    private void adjustReserved(String locationId, String sku, String batch, int units, OrderEvent order,
                                long timestamp) {
        InventoryPosition current = ledger.position(locationId, sku, batch);
        long reserved = Math.max(0, current.getReserved() + units);
        ledger.save(InventoryPosition.newBuilder(current)
                .setEventId("position:" + order.getEventId() + ":" + batch)
                .setOccurredAt(order.getOccurredAt())
                .setReserved(reserved)
                .setAvailable(current.getOnHand() - reserved - current.getBlocked())
                .build(), timestamp);
    }

    private OrderReservation publish(OrderEvent order, String locationId, ReservationStatus status,
                                     List<ReservationLine> lines, String reason, long timestamp) {
        OrderReservation outcome = OrderReservation.newBuilder()
                .setEventId("reservation:" + order.getEventId())
                .setOccurredAt(order.getOccurredAt())
                .setSource("topology-inventory")
                .setOrderId(order.getOrderId())
                .setDealerId(dealerOf(order))
                .setLocationId(locationId)
                .setStatus(status)
                .setLines(lines)
                .setReason(reason)
                .build();
        context.forward(new Record<>(order.getOrderId(), outcome, timestamp));
        outcomes.put(InventoryTopology.reservationKey(locationId, order.getOrderId()), outcome);
        return outcome;
    }

    private static String dealerOf(OrderEvent order) {
        if (order.getPayload() instanceof OrderPlaced placed) {
            return placed.getDealerId();
        }
        return ((OrderCancelled) order.getPayload()).getDealerId();
    }
}
