package io.channelstream.forecast;

import io.channelstream.forecast.model.WeekCalendar;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Exact co-purchase counts per CST day, for the orders of this task's partition: orders per day,
 * orders holding each SKU per day, and orders holding each ordered pair of SKUs per day. A window's
 * figures are sums over its days and over all partitions (orders are spread over partitions by
 * orderId, so every order is counted in exactly one), summed at query time by
 * {@link ForecastReads#coPurchaseTally}. Counting per partition keeps the hot path free of a
 * repartition and of hot keys; days older than the window (plus grace) are dropped.
 *
 * <p>Keys: orders {@code day}; baskets {@code day|sku}; pairs {@code sku|day|partnerSku}, so one
 * SKU's partners over a window are one range.
 */
final class CoPurchaseCounts {

    private final KeyValueStore<String, Long> orders;
    private final KeyValueStore<String, Long> baskets;
    private final KeyValueStore<String, Long> pairs;
    private final WeekCalendar calendar;
    private final int keepDays;

    CoPurchaseCounts(ProcessorContext<?, ?> context, ForecastConfig config) {
        this.orders = context.getStateStore(ForecastTopology.CO_PURCHASE_ORDERS_STORE);
        this.baskets = context.getStateStore(ForecastTopology.CO_PURCHASE_BASKETS_STORE);
        this.pairs = context.getStateStore(ForecastTopology.CO_PURCHASE_PAIRS_STORE);
        this.calendar = config.weeks();
        // the window, the grace during which late orders still count, and a week to spare
        this.keepDays = config.coPurchaseWindowDays() + (int) config.grace().toDays() + 7;
    }

    /** Adds (sign 1) or takes back (sign -1) one order holding {@code skus}. */
    void add(long occurredAtMillis, Collection<String> skus, int sign) {
        String day = calendar.dateOf(Instant.ofEpochMilli(occurredAtMillis)).toString();
        bump(orders, day, sign);
        for (String sku : skus) {
            bump(baskets, day + "|" + sku, sign);
            for (String partner : skus) {
                if (!partner.equals(sku)) {
                    bump(pairs, sku + "|" + day + "|" + partner, sign);
                }
            }
        }
    }

    void forgetDaysBefore(long streamTimeMillis) {
        LocalDate oldestKept = calendar.dateOf(Instant.ofEpochMilli(streamTimeMillis)).minusDays(keepDays);
        List<String> days = new ArrayList<>();
        try (KeyValueIterator<String, Long> old = orders.range("0000", oldestKept.toString())) {
            while (old.hasNext()) {
                String day = old.next().key;
                if (day.compareTo(oldestKept.toString()) < 0) {
                    days.add(day);
                }
            }
        }
        for (String day : days) {
            List<String> skus = new ArrayList<>();
            try (KeyValueIterator<String, Long> ofDay = baskets.prefixScan(day + "|",
                    org.apache.kafka.common.serialization.Serdes.String().serializer())) {
                while (ofDay.hasNext()) {
                    KeyValue<String, Long> basket = ofDay.next();
                    skus.add(basket.key.substring(day.length() + 1));
                }
            }
            for (String sku : skus) {
                List<String> pairKeys = new ArrayList<>();
                try (KeyValueIterator<String, Long> ofSku = pairs.prefixScan(sku + "|" + day + "|",
                        org.apache.kafka.common.serialization.Serdes.String().serializer())) {
                    ofSku.forEachRemaining(pair -> pairKeys.add(pair.key));
                }
                pairKeys.forEach(pairs::delete);
                baskets.delete(day + "|" + sku);
            }
            orders.delete(day);
        }
    }

    private static void bump(KeyValueStore<String, Long> store, String key, int sign) {
        Long current = store.get(key);
        long next = (current == null ? 0 : current) + sign;
        if (next == 0) {
            store.delete(key); // a cancelled order leaves no trace, so counts stay exact and stores small
        } else {
            store.put(key, next);
        }
    }
}
