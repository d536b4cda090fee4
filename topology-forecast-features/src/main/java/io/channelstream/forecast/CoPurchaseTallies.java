package io.channelstream.forecast;

import io.channelstream.forecast.model.BundlePartners;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;

/**
 * Sums the per-day co-purchase counts of one partition over a window of days, for one focal SKU.
 * The same summing serves the interactive queries and the tests, so what is tested is what is served.
 */
final class CoPurchaseTallies {

    static final String HIGH = "\uffff";

    private final String sku;
    private final String fromDay;
    private final String toDay;
    private long orders;
    private final Map<String, Long> withBoth = new HashMap<>();
    private final Map<String, Long> withSku = new HashMap<>();

    CoPurchaseTallies(String sku, LocalDate fromDay, LocalDate toDay) {
        this.sku = sku;
        this.fromDay = fromDay.toString();
        this.toDay = toDay.toString();
    }

    // Range bounds of each store for the window.
    String pairsFrom() {
        return sku + "|" + fromDay;
    }

    String pairsTo() {
        return sku + "|" + toDay + "|" + HIGH;
    }

    String basketsFrom() {
        return fromDay + "|";
    }

    String basketsTo() {
        return toDay + "|" + HIGH;
    }

    String ordersFrom() {
        return fromDay;
    }

    String ordersTo() {
        return toDay;
    }

    void addPairs(Iterator<KeyValue<String, Long>> pairs) {
        pairs.forEachRemaining(pair -> {
            String partner = pair.key.substring(pair.key.lastIndexOf('|') + 1);
            withBoth.merge(partner, pair.value, Long::sum);
        });
    }

    void addBaskets(Iterator<KeyValue<String, Long>> baskets) {
        baskets.forEachRemaining(basket -> withSku.merge(basket.key.substring(basket.key.indexOf('|') + 1),
                basket.value, Long::sum));
    }

    void addOrders(Iterator<KeyValue<String, Long>> days) {
        days.forEachRemaining(day -> orders += day.value);
    }

    /** Counts of the focal SKU and its partners only: what ranking them needs. */
    BundlePartners.Tally tally() {
        Map<String, Long> relevant = new HashMap<>();
        relevant.put(sku, withSku.getOrDefault(sku, 0L));
        withBoth.keySet().forEach(partner -> relevant.put(partner, withSku.getOrDefault(partner, 0L)));
        return new BundlePartners.Tally(orders, relevant, Map.copyOf(withBoth));
    }
}
