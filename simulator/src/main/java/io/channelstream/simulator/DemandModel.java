package io.channelstream.simulator;

import io.channelstream.events.ProductCategory;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.SplittableRandom;

/**
 * The known causes of demand: weekly base × day-of-week shape × trend × season × promotion. Pure
 * functions of the config and the date, so the truth of any day can be recomputed without replaying.
 */
public final class DemandModel {

    private final SimulationConfig config;
    private final double[] dayWeights;

    public DemandModel(SimulationConfig config) {
        this.config = config;
        // Monday..Sunday, averaging 1.0, Friday = fridayLift × average
        double friday = config.demand().fridayLift();
        double[] shape = {0.94, 0.94, 0.96, 0.98, friday, 1.06, 0.92};
        double others = 0;
        for (int i = 0; i < 7; i++) {
            others += i == 4 ? 0 : shape[i];
        }
        double scaleOthers = (7 - friday) / others;
        dayWeights = new double[7];
        for (int i = 0; i < 7; i++) {
            dayWeights[i] = i == 4 ? friday : shape[i] * scaleOthers;
        }
    }

    /** Share of a week's demand that falls on {@code day}'s weekday, times 7 (1.0 = an average day). */
    public double dayOfWeekFactor(DayOfWeek day) {
        return dayWeights[day.getValue() - 1];
    }

    public double trendFactor(LocalDate date) {
        long weeks = ChronoUnit.DAYS.between(config.firstMonday(), date) / 7;
        return Math.pow(1 + config.demand().weeklyTrend(), weeks);
    }

    /** Wipes sell {@code summerWipesLift} times more in June, July and August. */
    public double seasonFactor(ProductCategory category, LocalDate date) {
        int month = date.getMonthValue();
        return category == ProductCategory.WIPES && month >= 6 && month <= 8 ? config.demand().summerWipesLift() : 1.0;
    }

    /** True when the SKU is on buy-two-get-one in the week starting {@code monday}. Independent of call order. */
    public boolean promoted(String sku, LocalDate monday) {
        long mix = config.seed() * 0x9E3779B97F4A7C15L ^ sku.hashCode() * 0xC2B2AE3D27D4EB4FL ^ monday.toEpochDay();
        double chance = config.demand().promoWeeksPerSkuYear() / 52.0;
        return new SplittableRandom(mix).nextDouble() < chance;
    }

    public double promoFactor(String sku, LocalDate date) {
        return promoted(sku, monday(date)) ? config.demand().promoLift() : 1.0;
    }

    /** Expected consumer units on {@code date}, from a location's base weekly units. */
    public double dailyMean(double baseWeeklyUnits, String sku, ProductCategory category, LocalDate date) {
        return baseWeeklyUnits / 7.0 * dayOfWeekFactor(date.getDayOfWeek()) * trendFactor(date)
                * seasonFactor(category, date) * promoFactor(sku, date);
    }

    public static LocalDate monday(LocalDate date) {
        return date.minusDays(date.getDayOfWeek().getValue() - 1L);
    }
}
