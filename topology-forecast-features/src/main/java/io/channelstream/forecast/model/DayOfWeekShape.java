package io.channelstream.forecast.model;

/**
 * How demand spreads over the days of the week: each day's units over an average day's, so 1.2 on
 * Friday reads "Friday sells 20% above an average day".
 */
public final class DayOfWeekShape {

    private DayOfWeekShape() {
    }

    /** @param unitsByDay units per day of week, first day of the week first; empty result when there is no demand */
    public static double[] of(long[] unitsByDay) {
        if (unitsByDay.length != 7) {
            throw new IllegalArgumentException("a week has 7 days, got " + unitsByDay.length);
        }
        long total = 0;
        for (long units : unitsByDay) {
            total += units;
        }
        if (total <= 0) {
            return new double[0];
        }
        double averageDay = total / 7.0;
        double[] index = new double[7];
        for (int day = 0; day < 7; day++) {
            index[day] = unitsByDay[day] / averageDay;
        }
        return index;
    }
}
