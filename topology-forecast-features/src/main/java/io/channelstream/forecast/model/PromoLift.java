package io.channelstream.forecast.model;

import java.util.OptionalDouble;

/**
 * Promotion lift: mean demand of promo weeks over the mean demand of comparable non-promo weeks.
 * "Comparable" means the same series over the same span and, when a seasonality is given, both sides
 * taken out of season first, so a promotion that happens to run in summer is not credited with the
 * summer.
 */
public final class PromoLift {

    private PromoLift() {
    }

    /** @param seasonalIndex index per week (same length), or null to compare raw units */
    public static OptionalDouble estimate(double[] units, boolean[] promo, double[] seasonalIndex) {
        double promoSum = 0;
        int promoWeeks = 0;
        double regularSum = 0;
        int regularWeeks = 0;
        for (int i = 0; i < units.length; i++) {
            double adjusted = seasonalIndex == null ? units[i] : units[i] / Math.max(seasonalIndex[i], 0.05);
            if (promo[i]) {
                promoSum += adjusted;
                promoWeeks++;
            } else {
                regularSum += adjusted;
                regularWeeks++;
            }
        }
        if (promoWeeks == 0 || regularWeeks == 0 || regularSum <= 0) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of((promoSum / promoWeeks) / (regularSum / regularWeeks));
    }
}
