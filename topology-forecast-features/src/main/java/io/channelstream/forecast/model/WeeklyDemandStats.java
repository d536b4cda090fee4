package io.channelstream.forecast.model;

/**
 * Mean, trend and variability of a run of weekly demand (the rolling 13-week horizon).
 *
 * @param meanUnits          mean units per week
 * @param trendUnitsPerWeek  least-squares slope over the weeks, oldest first
 * @param stdDevUnits        sample standard deviation (n - 1)
 * @param coefficientOfVariation stdDev / mean, NaN when the mean is 0
 */
public record WeeklyDemandStats(int weeks, double meanUnits, double trendUnitsPerWeek, double stdDevUnits,
                                double coefficientOfVariation) {

    public static WeeklyDemandStats of(double[] weeklyUnits) {
        int n = weeklyUnits.length;
        if (n == 0) {
            return new WeeklyDemandStats(0, 0, 0, 0, Double.NaN);
        }
        double sum = 0;
        for (double units : weeklyUnits) {
            sum += units;
        }
        double mean = sum / n;
        double meanIndex = (n - 1) / 2.0;
        double covariance = 0;
        double indexVariance = 0;
        double squares = 0;
        for (int i = 0; i < n; i++) {
            covariance += (i - meanIndex) * (weeklyUnits[i] - mean);
            indexVariance += (i - meanIndex) * (i - meanIndex);
            squares += (weeklyUnits[i] - mean) * (weeklyUnits[i] - mean);
        }
        double slope = indexVariance == 0 ? 0 : covariance / indexVariance;
        double stdDev = n > 1 ? Math.sqrt(squares / (n - 1)) : 0;
        return new WeeklyDemandStats(n, mean, slope, stdDev, mean == 0 ? Double.NaN : stdDev / mean);
    }
}
