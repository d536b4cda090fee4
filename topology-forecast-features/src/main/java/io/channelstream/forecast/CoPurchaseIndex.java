package io.channelstream.forecast;

import io.channelstream.forecast.model.BundlePartners;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Exact co-purchase counts of a set of orders, per CST day, in memory: each day's baskets (an order's
 * distinct SKUs), how many hold each SKU, and which baskets hold it, so the partners of one SKU over a window
 * are counted from the baskets that hold it. SKUs are numbered as first seen (never stored). Not thread-safe:
 * {@link CoPurchaseStore} guards it.
 */
final class CoPurchaseIndex {

    private final Map<String, Integer> skuIds = new HashMap<>();
    private final List<String> skuNames = new ArrayList<>();
    private final TreeMap<LocalDate, Day> days = new TreeMap<>();

    void add(LocalDate day, String orderId, Collection<String> skus) {
        int[] basket = new int[skus.size()];
        int i = 0;
        for (String sku : skus) {
            basket[i++] = skuIds.computeIfAbsent(sku, name -> {
                skuNames.add(name);
                return skuNames.size() - 1;
            });
        }
        days.computeIfAbsent(day, d -> new Day()).add(orderId, basket);
    }

    void remove(LocalDate day, String orderId) {
        Day counts = days.get(day);
        if (counts != null) {
            counts.remove(orderId);
        }
    }

    void forgetDaysBefore(LocalDate oldestKept) {
        days.headMap(oldestKept, false).clear();
    }

    void clear() {
        skuIds.clear();
        skuNames.clear();
        days.clear();
    }

    /** The counts of {@code sku} and its partners over the CST days {@code fromDay..toDay}. */
    BundlePartners.Tally tally(String sku, LocalDate fromDay, LocalDate toDay) {
        Integer focal = skuIds.get(sku);
        long orders = 0;
        long[] withSku = new long[skuNames.size()];
        long[] withBoth = new long[skuNames.size()];
        for (Day day : days.subMap(fromDay, true, toDay, true).values()) {
            orders += day.orders;
            for (int id = 0; id < Math.min(day.withSku.length, withSku.length); id++) {
                withSku[id] += day.withSku[id];
            }
            if (focal != null) {
                day.countPartners(focal, withBoth);
            }
        }
        Map<String, Long> relevant = new HashMap<>();
        Map<String, Long> both = new HashMap<>();
        relevant.put(sku, focal == null ? 0L : withSku[focal]);
        for (int id = 0; id < withBoth.length; id++) {
            if (withBoth[id] > 0 && (focal == null || id != focal)) {
                both.put(skuNames.get(id), withBoth[id]);
                relevant.put(skuNames.get(id), withSku[id]);
            }
        }
        return new BundlePartners.Tally(orders, relevant, both);
    }

    /** One day's baskets, with orders per SKU and, per SKU, which baskets hold it. */
    private static final class Day {
        int orders;
        int[] withSku = new int[0];
        final List<int[]> baskets = new ArrayList<>();
        final Map<String, Integer> slotOfOrder = new HashMap<>();
        int[][] slotsWithSku = new int[0][];
        int[] slotsWithSkuSize = new int[0];

        void add(String orderId, int[] basket) {
            int slot = baskets.size();
            baskets.add(basket);
            slotOfOrder.put(orderId, slot);
            orders++;
            for (int id : basket) {
                grow(id + 1);
                withSku[id]++;
                int[] slots = slotsWithSku[id];
                if (slotsWithSkuSize[id] == slots.length) {
                    slots = slotsWithSku[id] = Arrays.copyOf(slots, Math.max(4, slots.length * 2));
                }
                slots[slotsWithSkuSize[id]++] = slot;
            }
        }

        void remove(String orderId) {
            Integer slot = slotOfOrder.remove(orderId);
            if (slot == null) {
                return;
            }
            int[] basket = baskets.set(slot, null); // its slot stays in the SKUs' lists and is skipped from now on
            orders--;
            for (int id : basket) {
                withSku[id]--;
            }
        }

        /** Adds, per partner, the baskets of this day holding {@code focal} and the partner. */
        void countPartners(int focal, long[] withBoth) {
            if (focal >= slotsWithSku.length) {
                return;
            }
            int[] slots = slotsWithSku[focal];
            for (int i = 0; i < slotsWithSkuSize[focal]; i++) {
                int[] basket = baskets.get(slots[i]);
                if (basket != null) {
                    for (int id : basket) {
                        withBoth[id]++;
                    }
                }
            }
        }

        private void grow(int skus) {
            if (skus > withSku.length) {
                int size = Math.max(skus, withSku.length * 2);
                withSku = Arrays.copyOf(withSku, size);
                growSlots(size);
            }
        }

        private void growSlots(int size) {
            int old = slotsWithSku.length;
            slotsWithSku = Arrays.copyOf(slotsWithSku, size);
            for (int id = old; id < size; id++) {
                slotsWithSku[id] = new int[0];
            }
            slotsWithSkuSize = Arrays.copyOf(slotsWithSkuSize, size);
        }
    }

}
