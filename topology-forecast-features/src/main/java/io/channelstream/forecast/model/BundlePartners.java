package io.channelstream.forecast.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Co-purchase of one SKU with the others, over a set of orders (a basket = the distinct SKUs of one
 * order). For the focal SKU A and a partner B:
 * support = orders with A and B / orders; confidence = orders with A and B / orders with A
 * ("80% of diaper orders also hold wipes"); lift = confidence / (orders with B / orders), above 1
 * when B goes with A more often than with an average order.
 */
public final class BundlePartners {

    private BundlePartners() {
    }

    /**
     * Counts over a set of orders, for one focal SKU; tallies of disjoint order sets (other partitions)
     * add up with {@link #plus}.
     *
     * @param orders          orders in the set
     * @param ordersWithSku   for the focal SKU and each partner: orders holding it
     * @param ordersWithBoth  for each partner: orders holding the focal SKU and the partner
     */
    public record Tally(long orders, Map<String, Long> ordersWithSku, Map<String, Long> ordersWithBoth) {

        public static Tally empty() {
            return new Tally(0, Map.of(), Map.of());
        }

        public Tally plus(Tally other) {
            return new Tally(orders + other.orders, sum(ordersWithSku, other.ordersWithSku),
                    sum(ordersWithBoth, other.ordersWithBoth));
        }

        private static Map<String, Long> sum(Map<String, Long> a, Map<String, Long> b) {
            Map<String, Long> total = new HashMap<>(a);
            b.forEach((sku, count) -> total.merge(sku, count, Long::sum));
            return total;
        }
    }

    public record Partner(String sku, long ordersWithBoth, long ordersWithPartner, double support,
                          double confidence, double lift) {}

    /** Partners of {@code focalSku}, most confident first (then highest lift, then SKU), at most {@code limit}. */
    public static List<Partner> rank(String focalSku, Tally tally, int limit) {
        long withFocal = tally.ordersWithSku().getOrDefault(focalSku, 0L);
        List<Partner> partners = new ArrayList<>();
        if (withFocal == 0 || tally.orders() == 0) {
            return partners;
        }
        tally.ordersWithBoth().forEach((partner, both) -> {
            if (both <= 0 || partner.equals(focalSku)) {
                return;
            }
            long withPartner = tally.ordersWithSku().getOrDefault(partner, 0L);
            double support = (double) both / tally.orders();
            double confidence = (double) both / withFocal;
            double lift = withPartner == 0 ? 0 : confidence / ((double) withPartner / tally.orders());
            partners.add(new Partner(partner, both, withPartner, support, confidence, lift));
        });
        partners.sort(Comparator.comparingDouble(Partner::confidence).reversed()
                .thenComparing(Comparator.comparingDouble(Partner::lift).reversed())
                .thenComparing(Partner::sku));
        return partners.size() > limit ? List.copyOf(partners.subList(0, limit)) : List.copyOf(partners);
    }
}
