package io.channelstream.api.inventory;

import io.channelstream.events.OrderReservation;
import java.util.List;

/**
 * What happened to an order's stock at its fulfilling location.
 *
 * @param status RESERVED, REJECTED (see each line's shortfall), RELEASED, CONSUMED, or PENDING while
 *               the order has not reached the inventory yet
 */
public record ReservationView(String orderId, String dealerId, String locationId, String status, String reason,
                              List<Line> lines, String servedBy) {

    public record Line(String sku, String batch, int quantity, int shortfall) {}

    static ReservationView of(OrderReservation outcome, String servedBy) {
        return new ReservationView(outcome.getOrderId(), outcome.getDealerId(), outcome.getLocationId(),
                outcome.getStatus().name(), outcome.getReason(),
                outcome.getLines().stream()
                        .map(line -> new Line(line.getSku(), line.getBatch(), line.getQuantity(), line.getShortfall()))
                        .toList(),
                servedBy);
    }

    static ReservationView pending(String orderId, String locationId, String servedBy) {
        return new ReservationView(orderId, null, locationId, "PENDING", "not seen by the inventory yet", List.of(),
                servedBy);
    }
}
