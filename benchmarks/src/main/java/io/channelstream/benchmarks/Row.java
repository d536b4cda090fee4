package io.channelstream.benchmarks;

import java.util.Locale;

/**
 * One line of the results table: a figure and the baseline it is compared with, measured in the same run.
 *
 * @param ratio figure / baseline, NaN when the row has no baseline
 */
public record Row(String scenario, String figure, String baseline, double ratio, String note) {

    public String ratioText() {
        return Double.isNaN(ratio) ? "—" : String.format(Locale.ROOT, "%.2f×", ratio);
    }
}
