package io.channelstream.forecast;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * One week of one dealer × SKU (or region × SKU): what was ordered and sold, and on which days.
 *
 * @param orderedUnitsByDay ordered units per day of week (first day of the week first), net of cancellations
 * @param soldUnitsByDay    sold units per day of week
 */
record WeekTally(long orderedUnits, long orderedRevenueFen, long promoOrderedUnits, long soldUnits,
                 long soldRevenueFen, long[] orderedUnitsByDay, long[] soldUnitsByDay, long newestOccurredAtMillis) {

    static WeekTally empty() {
        return new WeekTally(0, 0, 0, 0, 0, new long[7], new long[7], Long.MIN_VALUE);
    }

    WeekTally plus(Signal.Demand demand, int dayIndex) {
        long[] orderedByDay = orderedUnitsByDay.clone();
        long[] soldByDay = soldUnitsByDay.clone();
        long newest = Math.max(newestOccurredAtMillis, demand.occurredAtMillis());
        if (demand.sold()) {
            soldByDay[dayIndex] += demand.units();
            return new WeekTally(orderedUnits, orderedRevenueFen, promoOrderedUnits, soldUnits + demand.units(),
                    soldRevenueFen + demand.revenueFen(), orderedByDay, soldByDay, newest);
        }
        orderedByDay[dayIndex] += demand.units();
        return new WeekTally(orderedUnits + demand.units(), orderedRevenueFen + demand.revenueFen(),
                promoOrderedUnits + demand.promoUnits(), soldUnits, soldRevenueFen, orderedByDay, soldByDay, newest);
    }

    /** More than half of the week's ordered units were ordered under a promotion. */
    boolean promo() {
        return orderedUnits > 0 && promoOrderedUnits * 2 > orderedUnits;
    }

    static final Codec<WeekTally> CODEC = new Codec<>(WeekTally::write, WeekTally::read);

    private static void write(DataOutputStream out, WeekTally t) throws IOException {
        out.writeLong(t.orderedUnits);
        out.writeLong(t.orderedRevenueFen);
        out.writeLong(t.promoOrderedUnits);
        out.writeLong(t.soldUnits);
        out.writeLong(t.soldRevenueFen);
        for (int day = 0; day < 7; day++) {
            out.writeLong(t.orderedUnitsByDay[day]);
            out.writeLong(t.soldUnitsByDay[day]);
        }
        out.writeLong(t.newestOccurredAtMillis);
    }

    private static WeekTally read(DataInputStream in) throws IOException {
        long ordered = in.readLong();
        long orderedRevenue = in.readLong();
        long promo = in.readLong();
        long sold = in.readLong();
        long soldRevenue = in.readLong();
        long[] orderedByDay = new long[7];
        long[] soldByDay = new long[7];
        for (int day = 0; day < 7; day++) {
            orderedByDay[day] = in.readLong();
            soldByDay[day] = in.readLong();
        }
        return new WeekTally(ordered, orderedRevenue, promo, sold, soldRevenue, orderedByDay, soldByDay, in.readLong());
    }
}
