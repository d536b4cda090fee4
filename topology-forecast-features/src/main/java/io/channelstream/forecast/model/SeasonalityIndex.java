package io.channelstream.forecast.model;

import java.time.LocalDate;
import java.util.Arrays;

/**
 * A category's seasonality: one index per week of year, 1.0 = an average week, 1.35 = 35% above.
 *
 * <p>Classical ratio-to-moving-average: each week's demand is divided by the centred 2x52 moving
 * average around it (which holds a whole year, so season cancels out and trend stays in), the ratios
 * of the same week of year are averaged over the years, and neighbouring weeks are smoothed
 * (demand does not jump between adjacent weeks of the year; a single week's noise should not make a
 * season). A week needs 26 weeks on each side, so the first index appears after 53 weeks of history
 * and every week of the year has one after 78; weeks without one stay at 1.0.
 */
public final class SeasonalityIndex {

    private static final int HALF_YEAR = WeekCalendar.WEEKS_PER_YEAR / 2;

    private final double[] byWeekOfYear;
    private final int coveredWeeks;
    private final int historyWeeks;

    private SeasonalityIndex(double[] byWeekOfYear, int coveredWeeks, int historyWeeks) {
        this.byWeekOfYear = byWeekOfYear;
        this.coveredWeeks = coveredWeeks;
        this.historyWeeks = historyWeeks;
    }

    /** No seasonality known: every week is average. */
    public static SeasonalityIndex flat() {
        double[] ones = new double[WeekCalendar.WEEKS_PER_YEAR];
        Arrays.fill(ones, 1.0);
        return new SeasonalityIndex(ones, 0, 0);
    }

    /** Rebuilds an index published earlier (52 values, week of year 1 first). */
    public static SeasonalityIndex of(double[] byWeekOfYear, int historyWeeks) {
        if (byWeekOfYear.length != WeekCalendar.WEEKS_PER_YEAR) {
            return flat();
        }
        int covered = 0;
        for (double index : byWeekOfYear) {
            if (index != 1.0) {
                covered++;
            }
        }
        return new SeasonalityIndex(byWeekOfYear.clone(), covered, historyWeeks);
    }

    /**
     * @param weeklyUnits     the category's demand per week, oldest first, without gaps
     * @param firstWeekStart  first day of the oldest week
     */
    public static SeasonalityIndex estimate(double[] weeklyUnits, LocalDate firstWeekStart) {
        int n = weeklyUnits.length;
        double[] ratioSum = new double[WeekCalendar.WEEKS_PER_YEAR];
        int[] ratioCount = new int[WeekCalendar.WEEKS_PER_YEAR];
        for (int week = HALF_YEAR; week + HALF_YEAR < n; week++) {
            double centred = 0.5 * weeklyUnits[week - HALF_YEAR] + 0.5 * weeklyUnits[week + HALF_YEAR];
            for (int k = -HALF_YEAR + 1; k < HALF_YEAR; k++) {
                centred += weeklyUnits[week + k];
            }
            centred /= WeekCalendar.WEEKS_PER_YEAR;
            if (centred > 0) {
                int slot = WeekCalendar.weekOfYear(firstWeekStart.plusWeeks(week)) - 1;
                ratioSum[slot] += weeklyUnits[week] / centred;
                ratioCount[slot]++;
            }
        }
        double[] raw = new double[WeekCalendar.WEEKS_PER_YEAR];
        int covered = 0;
        for (int slot = 0; slot < raw.length; slot++) {
            raw[slot] = ratioCount[slot] == 0 ? Double.NaN : ratioSum[slot] / ratioCount[slot];
            covered += ratioCount[slot] == 0 ? 0 : 1;
        }
        if (covered == 0) {
            return new SeasonalityIndex(flat().byWeekOfYear, 0, n);
        }
        double[] smoothed = new double[raw.length];
        for (int slot = 0; slot < raw.length; slot++) {
            if (Double.isNaN(raw[slot])) {
                smoothed[slot] = 1.0;
                continue;
            }
            double sum = 0;
            int count = 0;
            for (int k = -1; k <= 1; k++) {
                double neighbour = raw[Math.floorMod(slot + k, raw.length)];
                if (!Double.isNaN(neighbour)) {
                    sum += neighbour;
                    count++;
                }
            }
            smoothed[slot] = sum / count;
        }
        if (covered == raw.length) {
            // a full year of ratios: make the average week exactly 1.0
            double mean = Arrays.stream(smoothed).average().orElse(1.0);
            for (int slot = 0; slot < smoothed.length; slot++) {
                smoothed[slot] /= mean;
            }
        }
        return new SeasonalityIndex(smoothed, covered, n);
    }

    /** The index of the week starting on {@code weekStart}. */
    public double index(LocalDate weekStart) {
        return byWeekOfYear[WeekCalendar.weekOfYear(weekStart) - 1];
    }

    /** 52 values, week of year 1 first. */
    public double[] byWeekOfYear() {
        return byWeekOfYear.clone();
    }

    /** Weeks of year that have an estimated index (52 = the whole year). */
    public int coveredWeeks() {
        return coveredWeeks;
    }

    public int historyWeeks() {
        return historyWeeks;
    }
}
