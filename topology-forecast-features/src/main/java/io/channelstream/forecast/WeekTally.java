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

    /** Format 2: variable-length longs (a tally of a few dozen units is ~25 bytes, not 137); reads format 1 too. */
    static final Codec<WeekTally> CODEC = new Codec<>(2, WeekTally::write, WeekTally::read);

    private static void write(DataOutputStream out, WeekTally t) throws IOException {
        Codec.writeVarLong(out, t.orderedUnits);
        Codec.writeVarLong(out, t.orderedRevenueFen);
        Codec.writeVarLong(out, t.promoOrderedUnits);
        Codec.writeVarLong(out, t.soldUnits);
        Codec.writeVarLong(out, t.soldRevenueFen);
        for (int day = 0; day < 7; day++) {
            Codec.writeVarLong(out, t.orderedUnitsByDay[day]);
            Codec.writeVarLong(out, t.soldUnitsByDay[day]);
        }
        Codec.writeVarLong(out, t.newestOccurredAtMillis);
    }

    private static WeekTally read(DataInputStream in, int format) throws IOException {
        boolean fixed = format == 1;
        long ordered = number(in, fixed);
        long orderedRevenue = number(in, fixed);
        long promo = number(in, fixed);
        long sold = number(in, fixed);
        long soldRevenue = number(in, fixed);
        long[] orderedByDay = new long[7];
        long[] soldByDay = new long[7];
        for (int day = 0; day < 7; day++) {
            orderedByDay[day] = number(in, fixed);
            soldByDay[day] = number(in, fixed);
        }
        return new WeekTally(ordered, orderedRevenue, promo, sold, soldRevenue, orderedByDay, soldByDay,
                number(in, fixed));
    }

    private static long number(DataInputStream in, boolean fixed) throws IOException {
        return fixed ? in.readLong() : Codec.readVarLong(in);
    }
}
