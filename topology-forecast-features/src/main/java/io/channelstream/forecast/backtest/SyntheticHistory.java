package io.channelstream.forecast.backtest;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Weekly demand with causes we know, deterministic from a seed: per category a seasonal shape (summer
 * wipes +35%, a Chinese-New-Year snack peak, winter diapers), per series a base level, a yearly trend
 * and planned promotions that double demand (buy two, get one), with Poisson noise on top. The
 * backtest's answer on it can be checked against what was put in.
 */
public final class SyntheticHistory {

    /** Multiplier of demand in a category by week of year (1..52). */
    static double seasonalFactor(String category, int weekOfYear) {
        return switch (category) {
            // summer: June to September, ramping up over May
            case "WIPES" -> 1.0 + 0.35 * bump(weekOfYear, 30, 8);
            case "DIAPERS" -> 1.0 + 0.10 * bump(weekOfYear, 2, 8);
            case "SNACKS" -> 1.0 + 0.50 * bump(weekOfYear, 5, 3);
            case "DAIRY" -> 1.0 + 0.15 * bump(weekOfYear, 40, 5);
            default -> 1.0;
        };
    }

    /** A smooth hill of height 1 centred on {@code centre}, {@code width} weeks to each side, wrapping the year. */
    private static double bump(int weekOfYear, int centre, int width) {
        int distance = Math.abs(weekOfYear - centre);
        distance = Math.min(distance, 52 - distance);
        return distance >= width ? 0 : 0.5 * (1 + Math.cos(Math.PI * distance / width));
    }

    public static final List<String> CATEGORIES = List.of("INFANT_FORMULA", "DIAPERS", "WIPES", "BABY_FOOD",
            "SNACKS", "DAIRY");

    /** Demand multiplier of a week under promotion: buy two, get one doubles sales. */
    public static final double PROMO_LIFT = 2.0;

    private SyntheticHistory() {
    }

    /**
     * @param firstWeekStart a Monday
     * @param promoShare     share of weeks under promotion per series
     */
    public static WeeklyHistory generate(long seed, int dealers, int skusPerCategory, int weeks,
                                         LocalDate firstWeekStart, double promoShare) {
        Random random = new Random(seed);
        List<WeeklyHistory.Series> series = new ArrayList<>();
        for (String category : CATEGORIES) {
            for (int s = 0; s < skusPerCategory; s++) {
                String sku = "SKU-" + category + "-" + s;
                for (int d = 0; d < dealers; d++) {
                    String dealer = "D-" + d;
                    double base = 8 + random.nextDouble() * 40;
                    double yearlyGrowth = -0.1 + random.nextDouble() * 0.3;
                    long[] units = new long[weeks];
                    boolean[] promo = new boolean[weeks];
                    for (int w = 0; w < weeks; w++) {
                        promo[w] = random.nextDouble() < promoShare;
                        int weekOfYear = Math.min(52, (firstWeekStart.plusWeeks(w).getDayOfYear() - 1) / 7 + 1);
                        double mean = base * (1 + yearlyGrowth * w / 52.0) * seasonalFactor(category, weekOfYear)
                                * (promo[w] ? PROMO_LIFT : 1.0);
                        units[w] = poisson(random, Math.max(mean, 0));
                    }
                    series.add(new WeeklyHistory.Series(dealer, sku, category, units, promo));
                }
            }
        }
        return new WeeklyHistory(firstWeekStart, weeks, series);
    }

    /** Knuth for small means, a normal approximation above (exact enough for weekly units). */
    static long poisson(Random random, double mean) {
        if (mean <= 0) {
            return 0;
        }
        if (mean > 60) {
            return Math.max(0, Math.round(mean + Math.sqrt(mean) * random.nextGaussian()));
        }
        double limit = Math.exp(-mean);
        long k = 0;
        double p = 1;
        do {
            k++;
            p *= random.nextDouble();
        } while (p > limit);
        return k - 1;
    }
}
