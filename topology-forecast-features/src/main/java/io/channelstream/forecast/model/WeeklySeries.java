package io.channelstream.forecast.model;

import java.time.LocalDate;
import java.util.Objects;

/**
 * Complete weeks of demand of one series (one SKU at one dealer), oldest first, without gaps.
 *
 * @param firstWeekStart first day of the oldest week
 * @param units          demand per week in consumer units
 * @param promo          whether each week ran under a promotion
 */
public record WeeklySeries(LocalDate firstWeekStart, double[] units, boolean[] promo) {

    public WeeklySeries {
        Objects.requireNonNull(firstWeekStart, "firstWeekStart");
        if (units.length != promo.length) {
            throw new IllegalArgumentException("units and promo flags differ in length: " + units.length + " vs "
                    + promo.length);
        }
    }

    public int weeks() {
        return units.length;
    }

    /** First day of week {@code i} (0 = oldest; {@code weeks()} = the first week after the history). */
    public LocalDate weekStart(int i) {
        return firstWeekStart.plusWeeks(i);
    }
}
