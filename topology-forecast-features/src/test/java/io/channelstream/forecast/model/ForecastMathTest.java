package io.channelstream.forecast.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** The forecasting math, without Kafka: what the topology and the backtest both rely on. */
class ForecastMathTest {

    @Test
    void aChinaWeekStartsMondayMidnightInUtcPlusEight() {
        // Sunday 23:30 in Guangzhou is Sunday 15:30 UTC: still the week that began on Monday the 9th
        assertThat(WeekCalendar.CHINA.weekStart(Instant.parse("2026-11-15T15:30:00Z"))).isEqualTo("2026-11-09");
        // Monday 00:30 in Guangzhou is Sunday 16:30 UTC: already the new week
        assertThat(WeekCalendar.CHINA.weekStart(Instant.parse("2026-11-15T16:30:00Z"))).isEqualTo("2026-11-16");
        assertThat(WeekCalendar.CHINA.dayIndex(Instant.parse("2026-11-20T03:00:00Z"))).isEqualTo(4); // Friday
        assertThat(WeekCalendar.CHINA.endOf(LocalDate.parse("2026-11-09"))).isEqualTo("2026-11-15T16:00:00Z");
    }

    @Test
    void rollingStatsGiveMeanTrendAndVariability() {
        WeeklyDemandStats stats = WeeklyDemandStats.of(new double[] {10, 12, 14, 16, 18});

        assertThat(stats.meanUnits()).isEqualTo(14);
        assertThat(stats.trendUnitsPerWeek()).isCloseTo(2, within(1e-12));
        assertThat(stats.stdDevUnits()).isCloseTo(Math.sqrt(10), within(1e-12));
        assertThat(stats.coefficientOfVariation()).isCloseTo(Math.sqrt(10) / 14, within(1e-12));
    }

    @Test
    void promoLiftComparesPromoWeeksWithTheOthersOutOfSeason() {
        double[] units = {20, 40, 27, 54};
        boolean[] promo = {false, true, false, true};
        double[] summerIndex = {1.0, 1.0, 1.35, 1.35};

        assertThat(PromoLift.estimate(units, promo, summerIndex).getAsDouble()).isCloseTo(2.0, within(1e-12));
        assertThat(PromoLift.estimate(units, new boolean[4], null)).isEmpty();
    }

    @Test
    void seasonalityIndexRecoversASummerRiseOfThirtyFivePercentFromTwoYearsOfHistory() {
        LocalDate first = LocalDate.parse("2024-01-01");
        double[] weekly = new double[110];
        for (int w = 0; w < weekly.length; w++) {
            int weekOfYear = WeekCalendar.weekOfYear(first.plusWeeks(w));
            weekly[w] = 1000 * (1 + 0.002 * w) * (weekOfYear >= 23 && weekOfYear <= 35 ? 1.35 : 1.0);
        }

        SeasonalityIndex index = SeasonalityIndex.estimate(weekly, first);

        assertThat(index.coveredWeeks()).isEqualTo(52);
        double summer = index.index(LocalDate.parse("2025-07-14"));
        double spring = index.index(LocalDate.parse("2025-03-10"));
        assertThat(summer / spring).isCloseTo(1.35, within(0.01));
        assertThat(Arrays.stream(index.byWeekOfYear()).average().getAsDouble()).isCloseTo(1.0, within(1e-9));
        assertThat(SeasonalityIndex.estimate(Arrays.copyOf(weekly, 40), first).coveredWeeks()).isZero();
    }

    @Test
    void forecastPutsSeasonAndPlannedPromotionBackOnTheLevel() {
        double[] byWeekOfYear = new double[52];
        Arrays.fill(byWeekOfYear, 1.0);
        byWeekOfYear[27] = 1.4; // week of year 28
        SeasonalityIndex season = SeasonalityIndex.of(byWeekOfYear, 104);
        LocalDate first = LocalDate.parse("2026-01-05"); // week of year 1
        double[] units = new double[26];
        boolean[] promo = new boolean[26];
        Arrays.fill(units, 50);
        units[10] = 100;
        promo[10] = true; // doubled by buy-two-get-one, cleaned by the lift

        DemandForecaster.ForecastResult result = new DemandForecaster(SmoothingParameters.DEFAULT)
                .forecast(new WeeklySeries(first, units, promo), season, OptionalDouble.of(2.0),
                        new boolean[] {false, true, false});

        assertThat(result.levelUnitsPerWeek()).isCloseTo(50, within(1e-9));
        assertThat(result.weeklyUnits()[0]).isCloseTo(50, within(1e-9)); // week of year 27
        assertThat(result.weeklyUnits()[1]).isCloseTo(50 * 1.4 * 2.0, within(1e-9)); // week 28, promotion planned
        assertThat(result.weeklyUnits()[2]).isCloseTo(50, within(1e-9));
        assertThat(result.errorStdDevUnits()).isCloseTo(0, within(1e-9));
    }

    @Test
    void aSeriesWhoseLevelMovedChoosesAQuickerLevelWeightFromItsOwnPastErrors() {
        // 30 weeks at 20, then 12 weeks at 40: a slow level would still be catching up
        double[] units = new double[42];
        for (int w = 0; w < units.length; w++) {
            units[w] = w < 30 ? 20 : 40;
        }
        WeeklySeries series = new WeeklySeries(LocalDate.parse("2026-01-05"), units, new boolean[units.length]);
        SmoothingParameters fixed = new SmoothingParameters(0.15, 0.03, 0.9);

        double chosen = new DemandForecaster(SmoothingParameters.DEFAULT).forecast(series, SeasonalityIndex.flat(),
                OptionalDouble.empty(), new boolean[1]).weeklyUnits()[0];
        double slow = new DemandForecaster(fixed).forecast(series, SeasonalityIndex.flat(), OptionalDouble.empty(),
                new boolean[1]).weeklyUnits()[0];

        assertThat(Math.abs(chosen - 40)).isLessThan(Math.abs(slow - 40));
        // a steady series has nothing to choose between: the default weight, the same forecast
        double[] steady = new double[42];
        Arrays.fill(steady, 20);
        WeeklySeries flat = new WeeklySeries(LocalDate.parse("2026-01-05"), steady, new boolean[steady.length]);
        assertThat(new DemandForecaster(SmoothingParameters.DEFAULT).forecast(flat, SeasonalityIndex.flat(),
                OptionalDouble.empty(), new boolean[1]).weeklyUnits()[0]).isCloseTo(20, within(1e-9));
    }

    @Test
    void seasonalNaiveRepeatsLastYearsWeekOrTheLastWeekBeforeAYearExists() {
        double[] twoYears = new double[60];
        for (int w = 0; w < twoYears.length; w++) {
            twoYears[w] = w;
        }
        assertThat(SeasonalNaive.forecast(twoYears, 2)).containsExactly(8, 9);
        assertThat(SeasonalNaive.forecast(new double[] {3, 4, 5}, 2)).containsExactly(5, 5);
    }

    @Test
    void suggestionCoversTheLeadTimeWithSafetyStockLessWhatIsOnHandAndOnItsWay() {
        OrderSuggestionMath.Figures figures = OrderSuggestionMath.suggest(new double[] {30, 40, 50}, 10, 10,
                1.65, 12, 5);

        // 10 days = 1 week + 3/7 of the next
        assertThat(figures.expectedDemandOverLeadTimeUnits()).isCloseTo(30 + 40 * 3 / 7.0, within(1e-9));
        assertThat(figures.safetyStockUnits()).isCloseTo(1.65 * 10 * Math.sqrt(10 / 7.0), within(1e-9));
        assertThat(figures.suggestedUnits()).isEqualTo(
                (long) Math.ceil(30 + 40 * 3 / 7.0 + 1.65 * 10 * Math.sqrt(10 / 7.0) - 12 - 5));
        assertThat(OrderSuggestionMath.suggest(new double[] {5, 5}, 0, 14, 1.65, 100, 0).suggestedUnits()).isZero();
    }

    @Test
    void dayOfWeekShapeReadsFridayAsTwentyPercentAboveTheAverageDay() {
        double[] shape = DayOfWeekShape.of(new long[] {10, 10, 10, 10, 12, 10, 8});

        assertThat(shape[4]).isCloseTo(1.2, within(1e-12));
        assertThat(Arrays.stream(shape).sum()).isCloseTo(7, within(1e-12));
        assertThat(DayOfWeekShape.of(new long[7])).isEmpty();
    }
}
