package io.channelstream.forecast.model;

/**
 * Suggested order = expected demand over the lead time + safety stock − available − in transit,
 * never below zero, rounded up to whole units.
 *
 * <p>Expected demand over a lead time of L weeks sums the first ⌊L⌋ forecast weeks and the
 * fraction L − ⌊L⌋ of the next. Safety stock is z · σ · √L with σ the spread of the method's own
 * one-week-ahead errors: weekly errors add up roughly as independent ones over the lead time.
 */
public final class OrderSuggestionMath {

    private OrderSuggestionMath() {
    }

    /** Forecast weeks needed to cover a lead time. */
    public static int weeksToCover(int leadTimeDays) {
        return Math.max(1, (int) Math.ceil(leadTimeDays / 7.0));
    }

    public static Figures suggest(double[] weeklyForecast, double errorStdDevUnits, int leadTimeDays,
                                  double safetyStockFactor, long availableUnits, long inTransitUnits) {
        double leadTimeWeeks = leadTimeDays / 7.0;
        double expected = 0;
        int whole = (int) Math.floor(leadTimeWeeks);
        for (int week = 0; week < whole && week < weeklyForecast.length; week++) {
            expected += weeklyForecast[week];
        }
        double fraction = leadTimeWeeks - whole;
        if (fraction > 0 && whole < weeklyForecast.length) {
            expected += fraction * weeklyForecast[whole];
        }
        double safetyStock = safetyStockFactor * errorStdDevUnits * Math.sqrt(leadTimeWeeks);
        double needed = expected + safetyStock - availableUnits - inTransitUnits;
        long suggested = needed <= 0 ? 0 : (long) Math.ceil(needed - 1e-9);
        return new Figures(expected, safetyStock, suggested);
    }

    public record Figures(double expectedDemandOverLeadTimeUnits, double safetyStockUnits, long suggestedUnits) {}
}
