package io.channelstream.forecast.model;

/**
 * The baseline: next year's week is this year's same week. Before a year of history exists it falls
 * back to the last week seen (plain naive), and to 0 without any history.
 */
public final class SeasonalNaive {

    private SeasonalNaive() {
    }

    /** Forecast for the {@code horizon} weeks after {@code history}, next week first. */
    public static double[] forecast(double[] history, int horizon) {
        int n = history.length;
        double[] weekly = new double[horizon];
        for (int h = 1; h <= horizon; h++) {
            int sameWeekLastYear = n - 1 + h - WeekCalendar.WEEKS_PER_YEAR;
            if (sameWeekLastYear >= 0 && sameWeekLastYear < n) {
                weekly[h - 1] = history[sameWeekLastYear];
            } else {
                weekly[h - 1] = n == 0 ? 0 : history[n - 1];
            }
        }
        return weekly;
    }
}
