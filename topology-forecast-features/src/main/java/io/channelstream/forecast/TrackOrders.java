package io.channelstream.forecast;

import io.channelstream.events.OrderCancelled;
import io.channelstream.events.OrderEvent;
import io.channelstream.events.OrderLine;
import io.channelstream.events.OrderPlaced;
import io.channelstream.events.StockMovementRecorded;
import io.channelstream.schemas.Topics;
import io.channelstream.streams.RejectedRecordException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Turns orders into demand: a placed order is demand of its dealer for each SKU (and of the region it
 * ships to), units in transit to the dealer until received, and one basket for the co-purchase counts;
 * a cancellation takes all of that back, in the week the order was placed. An order of a closed week
 * (or a cancellation arriving after it) is reported as late instead of counted. Keyed by orderId, so
 * an order, its cancellation and its receipts (re-keyed by their reference) meet in one task.
 */
final class TrackOrders implements Processor<String, SpecificRecord, String, Signal> {

    private final ForecastConfig config;
    private final WeekClock clock;
    private ProcessorContext<String, Signal> context;
    private KeyValueStore<String, OrderMemory> orders;
    private KeyValueStore<String, Long> ordersByTime;
    private CoPurchaseStore coPurchase;

    TrackOrders(ForecastConfig config) {
        this.config = config;
        this.clock = new WeekClock(config);
    }

    @Override
    public void init(ProcessorContext<String, Signal> context) {
        this.context = context;
        this.orders = context.getStateStore(ForecastTopology.ORDERS_STORE);
        this.ordersByTime = context.getStateStore(ForecastTopology.ORDERS_BY_TIME_STORE);
        this.coPurchase = context.getStateStore(ForecastTopology.CO_PURCHASE_STORE);
        this.coPurchase.load(); // the store is restored by now: the processor is initialised after restoration
        context.schedule(Duration.ofHours(1), PunctuationType.STREAM_TIME, this::forgetOldOrders);
    }

    @Override
    public void process(Record<String, SpecificRecord> record) {
        if (record.value() instanceof StockMovementRecorded receipt) {
            received(record.key(), receipt.getSku(), receipt.getQuantity());
            return;
        }
        if (!(record.value() instanceof OrderEvent event)) {
            return; // a tombstone on the orders topic carries nothing
        }
        if (event.getPayload() instanceof OrderPlaced placed) {
            orderPlaced(event, placed);
        } else if (event.getPayload() instanceof OrderCancelled) {
            orderCancelled(event);
        } else {
            throw new RejectedRecordException("payload", "not an order fact this topology knows");
        }
    }

    private void orderPlaced(OrderEvent event, OrderPlaced placed) {
        if (orders.get(event.getOrderId()) != null) {
            return; // the same order again (a retried POST with the caller's orderId): counted once
        }
        require(placed.getDealerId(), "payload.dealerId");
        Map<String, long[]> lines = linesBySku(placed.getLines());
        long occurredAt = event.getOccurredAt().toEpochMilli();
        long streamTime = context.currentStreamTimeMs();
        String region = ForecastTopology.regionAtLevel(placed.getShipTo().getRegionCode(), config.regionLevel());
        boolean counted = !clock.isClosed(occurredAt, streamTime);
        // in transit whether or not its week had closed: the goods are on their way all the same
        List<Signal.SkuChange> changes = new ArrayList<>(lines.size());
        lines.forEach((sku, line) -> changes.add(new Signal.SkuChange(sku,
                counted ? Signal.Demand.sellIn(occurredAt, line, placed.getPromo()) : null, line[0], 0)));
        forward(placed.getDealerId(), new Signal.ForDealer(changes), streamTime);
        if (counted) {
            forward(region, new Signal.ForRegion(occurredAt, regionalLines(lines, 1)), streamTime);
            coPurchase.add(dayOf(occurredAt), event.getOrderId(), lines.keySet());
        } else {
            forward(event.getOrderId(), new Signal.Late(clock.lateEvent(Topics.ORDERS.name(), event.getEventId(),
                    "ORDER_PLACED", placed.getDealerId(), totalUnits(lines), occurredAt, streamTime,
                    "order placed in a week that had already closed; not counted in weekly demand or co-purchase, "
                            + "still counted in transit")), streamTime);
        }
        orders.put(event.getOrderId(), new OrderMemory(placed.getDealerId(), region, occurredAt, placed.getPromo(),
                counted, lines, Map.of()));
        ordersByTime.put(timeKey(occurredAt, event.getOrderId()), occurredAt);
    }

    private void orderCancelled(OrderEvent event) {
        OrderMemory order = orders.get(event.getOrderId());
        if (order == null) {
            throw new RejectedRecordException("orderId", "cancellation of an order this topology does not hold ("
                    + "never placed, already received, or placed more than " + config.inTransitDays() + " days ago)");
        }
        long streamTime = context.currentStreamTimeMs();
        boolean takeBackDemand = order.counted() && !clock.isClosed(order.occurredAtMillis(), streamTime);
        if (order.counted() && !takeBackDemand) {
            forward(event.getOrderId(), new Signal.Late(clock.lateEvent(Topics.ORDERS.name(), event.getEventId(),
                    "ORDER_CANCELLED", order.dealerId(), -totalUnits(order.lines()), order.occurredAtMillis(),
                    streamTime, "order cancelled after its week closed; the closed week keeps the order")),
                    streamTime);
        }
        List<Signal.SkuChange> changes = new ArrayList<>(order.lines().size());
        order.lines().forEach((sku, line) -> {
            long outstanding = order.outstanding(sku);
            Signal.Demand takenBack = takeBackDemand ? new Signal.Demand(order.occurredAtMillis(), -line[0], -line[1],
                    order.promo() ? -line[0] : 0, false) : null;
            if (outstanding > 0 || takenBack != null) {
                changes.add(new Signal.SkuChange(sku, takenBack, -outstanding, 0));
            }
        });
        if (!changes.isEmpty()) {
            forward(order.dealerId(), new Signal.ForDealer(changes), streamTime);
        }
        if (takeBackDemand) {
            forward(order.regionCode(), new Signal.ForRegion(order.occurredAtMillis(),
                    regionalLines(order.lines(), -1)), streamTime);
            coPurchase.remove(dayOf(order.occurredAtMillis()), event.getOrderId());
        }
        forget(event.getOrderId(), order);
    }

    /** Goods received against an order (a receipt re-keyed by its reference): no longer in transit. */
    private void received(String orderId, String sku, long units) {
        OrderMemory order = orders.get(orderId);
        if (order == null) {
            return; // a receipt of a transfer or shipment, or of an order older than our memory: not in transit here
        }
        long taken = Math.min(units, order.outstanding(sku));
        if (taken <= 0) {
            return;
        }
        forward(order.dealerId(), new Signal.ForDealer(List.of(new Signal.SkuChange(sku, null, -taken, 0))),
                context.currentStreamTimeMs());
        OrderMemory updated = order.receive(sku, taken);
        if (updated.fullyReceived()) {
            forget(orderId, updated);
        } else {
            orders.put(orderId, updated);
        }
    }

    /** An order neither received nor cancelled within the in-transit window is presumed received. */
    private void forgetOldOrders(long streamTime) {
        long cutoff = streamTime - Duration.ofDays(config.inTransitDays()).toMillis();
        List<String> expired = new ArrayList<>();
        try (KeyValueIterator<String, Long> old = ordersByTime.range(timeKey(0, ""), timeKey(cutoff, ""))) {
            while (old.hasNext()) {
                KeyValue<String, Long> entry = old.next();
                expired.add(entry.key.substring(entry.key.indexOf('|') + 1));
            }
        }
        for (String orderId : expired) {
            OrderMemory order = orders.get(orderId);
            if (order != null) {
                List<Signal.SkuChange> changes = new ArrayList<>();
                order.lines().keySet().forEach(sku -> {
                    long outstanding = order.outstanding(sku);
                    if (outstanding > 0) {
                        changes.add(new Signal.SkuChange(sku, null, -outstanding, 0));
                    }
                });
                if (!changes.isEmpty()) {
                    forward(order.dealerId(), new Signal.ForDealer(changes), streamTime);
                }
                forget(orderId, order);
            }
        }
        // the window, the grace during which late orders still count, and a week to spare
        int keepDays = config.coPurchaseWindowDays() + (int) config.grace().toDays() + 7;
        coPurchase.forgetDaysBefore(dayOf(streamTime).minusDays(keepDays));
    }

    private void forget(String orderId, OrderMemory order) {
        orders.delete(orderId);
        ordersByTime.delete(timeKey(order.occurredAtMillis(), orderId));
    }

    private void forward(String key, Signal signal, long timestamp) {
        context.forward(new Record<>(key, signal, timestamp));
    }

    private LocalDate dayOf(long epochMillis) {
        return clock.calendar().dateOf(Instant.ofEpochMilli(epochMillis));
    }

    private static List<Signal.RegionalLine> regionalLines(Map<String, long[]> lines, int sign) {
        List<Signal.RegionalLine> regional = new ArrayList<>(lines.size());
        lines.forEach((sku, line) -> regional.add(new Signal.RegionalLine(sku, sign * line[0], sign * line[1])));
        return regional;
    }

    /** Lines of one SKU merged: units and revenue (fen). A line that makes no sense refuses the whole order. */
    static Map<String, long[]> linesBySku(List<OrderLine> lines) {
        if (lines == null || lines.isEmpty()) {
            throw new RejectedRecordException("payload.lines", "an order needs at least one line");
        }
        Map<String, long[]> bySku = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            OrderLine line = lines.get(i);
            require(line.getSku(), "payload.lines[" + i + "].sku");
            if (line.getSku().contains(Topics.KEY_SEPARATOR)) {
                throw new RejectedRecordException("payload.lines[" + i + "].sku", "must not contain '|'");
            }
            if (line.getQuantity() <= 0) {
                throw new RejectedRecordException("payload.lines[" + i + "].quantity",
                        "must be positive, was " + line.getQuantity());
            }
            if (line.getUnitPriceFen() < 0) {
                throw new RejectedRecordException("payload.lines[" + i + "].unitPriceFen",
                        "must not be negative, was " + line.getUnitPriceFen());
            }
            long[] merged = bySku.computeIfAbsent(line.getSku(), sku -> new long[2]);
            merged[0] += line.getQuantity();
            merged[1] += line.getQuantity() * line.getUnitPriceFen();
        }
        return bySku;
    }

    private static long totalUnits(Map<String, long[]> lines) {
        return lines.values().stream().mapToLong(line -> line[0]).sum();
    }

    private static void require(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new RejectedRecordException(field, "must not be blank");
        }
        if (value.contains(Topics.KEY_SEPARATOR)) {
            throw new RejectedRecordException(field, "must not contain '|'");
        }
    }

    /** Sorts by time: zero-padded epoch millis, then the order id. */
    static String timeKey(long epochMillis, String orderId) {
        String millis = Long.toString(Math.max(epochMillis, 0));
        return "0".repeat(Math.max(0, 15 - millis.length())) + millis + Topics.KEY_SEPARATOR + orderId;
    }
}
