package io.channelstream.benchmarks;

import java.util.Arrays;
import java.util.List;

/** Percentiles and medians over recorded samples. */
final class Stats {

    private Stats() {
    }

    /** The {@code p}-th percentile (0..100) of {@code values}, nearest rank. */
    static double percentile(long[] values, double p) {
        if (values.length == 0) {
            return Double.NaN;
        }
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = sorted.length;
        return n == 0 ? Double.NaN : n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    static double millis(double nanos) {
        return nanos / 1e6;
    }
}
