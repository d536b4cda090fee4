package io.channelstream.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.channelstream.events.OrderSuggestion;
import io.channelstream.forecast.model.PromotionCalendar;
import io.channelstream.forecast.model.SeasonalityIndex;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** What a dealer's suggestion makes of promotions, with and without the brand's promotion calendar. */
class DealerSkuOutlookTest {

    private static final LocalDate FIRST_WEEK = LocalDate.parse("2025-01-06");
    private static final int WEEKS = 40;
    private static final String SKU = "SKU-DIAPER-L";
    /** Buy-two-get-one weeks of the SKU: three in the history, and the week the forecast starts with. */
    private static final Set<LocalDate> PROMOTED = Set.of(FIRST_WEEK.plusWeeks(8), FIRST_WEEK.plusWeeks(21),
            FIRST_WEEK.plusWeeks(33), FIRST_WEEK.plusWeeks(WEEKS));
    private static final PromotionCalendar CALENDAR = (sku, week) -> sku.equals(SKU) && PROMOTED.contains(week);

    /**
     * A store sells 10 a week and 20 in promotion weeks; the distributor orders weekly, and its order is flagged
     * "promo" whenever any line on it is (as one flag per order says), here every week.
     */
    private static TreeMap<LocalDate, WeekTally> history() {
        TreeMap<LocalDate, WeekTally> tallies = new TreeMap<>();
        for (int w = 0; w < WEEKS; w++) {
            LocalDate week = FIRST_WEEK.plusWeeks(w);
            long at = week.atTime(10, 0).toInstant(ZoneOffset.ofHours(8)).toEpochMilli();
            long sold = PROMOTED.contains(week) ? 20 : 10;
            tallies.put(week, WeekTally.empty()
                    .plus(new Signal.Demand(at, sold, sold * 1000, 0, true), 0)
                    .plus(new Signal.Demand(at, 12, 12 * 900, 12, false), 0));
        }
        return tallies;
    }

    private static OrderSuggestion suggestion(PromotionCalendar calendar) {
        DealerSkuOutlook outlook = new DealerSkuOutlook(ForecastConfig.DEFAULT, calendar);
        LocalDate current = FIRST_WEEK.plusWeeks(WEEKS);
        return outlook.compute(new DealerSkuOutlook.Inputs("D2-0001", SKU, "DIAPERS", history(), current,
                SeasonalityIndex.flat(), 0, 0, current.atStartOfDay().toInstant(ZoneOffset.ofHours(8)).toEpochMilli()))
                .suggestion();
    }

    @Test
    void aPlannedPromotionDoublesThatWeeksForecastAndPastOnesDoNotLiftTheLevel() {
        OrderSuggestion withCalendar = suggestion(CALENDAR);

        assertThat(withCalendar.getPromoLift()).isCloseTo(2.0, within(1e-9));
        assertThat(withCalendar.getLevelUnitsPerWeek()).isCloseTo(10.0, within(1e-6));
        // this week is a buy-two-get-one week, next week is not
        assertThat(withCalendar.getForecastWeeklyUnits().get(0)).isCloseTo(20.0, within(1e-6));
        assertThat(withCalendar.getForecastWeeklyUnits().get(1)).isCloseTo(10.0, within(1e-6));
        assertThat(withCalendar.getExplanation()).endsWith("A promotion is planned in 1 of the 2 weeks: x2.00, this "
                + "series' lift.");
    }

    @Test
    void withoutACalendarTheOrderFlagsMarkEveryWeekAndNoPromotionIsForeseen() {
        OrderSuggestion withoutCalendar = suggestion(PromotionCalendar.NONE);

        // every week looks like a promotion week, so no lift can be measured and none is applied ahead; the
        // weeks still count as demand (they are all there is), the real promotions lifting the level a little
        assertThat(withoutCalendar.getPromoLift()).isNull();
        double thisWeek = withoutCalendar.getForecastWeeklyUnits().get(0);
        assertThat(thisWeek).isBetween(10.0, 12.0);
        assertThat(withoutCalendar.getForecastWeeklyUnits().get(1)).isCloseTo(thisWeek, within(0.5));
    }

    @Test
    void withNoPastPromotionToMeasureThePlannersExpectedLiftIsUsedAndSaid() {
        LocalDate planned = FIRST_WEEK.plusWeeks(WEEKS);
        PromotionCalendar firstPromotion = new PromotionCalendar() {
            @Override
            public boolean promoted(String sku, LocalDate week) {
                return week.equals(planned);
            }

            @Override
            public OptionalDouble expectedLift(String sku, LocalDate week) {
                return week.equals(planned) ? OptionalDouble.of(1.5) : OptionalDouble.empty();
            }
        };
        TreeMap<LocalDate, WeekTally> steady = new TreeMap<>();
        for (int w = 0; w < WEEKS; w++) {
            long at = FIRST_WEEK.plusWeeks(w).atTime(10, 0).toInstant(ZoneOffset.ofHours(8)).toEpochMilli();
            steady.put(FIRST_WEEK.plusWeeks(w), WeekTally.empty().plus(new Signal.Demand(at, 10, 10_000, 0, false), 0));
        }
        OrderSuggestion suggestion = new DealerSkuOutlook(ForecastConfig.DEFAULT, firstPromotion).compute(
                new DealerSkuOutlook.Inputs("D2-0001", SKU, "DIAPERS", steady, planned, SeasonalityIndex.flat(), 0, 0,
                        planned.atStartOfDay().toInstant(ZoneOffset.ofHours(8)).toEpochMilli())).suggestion();

        assertThat(suggestion.getPromoLift()).isCloseTo(1.5, within(1e-9));
        assertThat(suggestion.getForecastWeeklyUnits().get(0)).isCloseTo(15.0, within(1e-6));
        assertThat(suggestion.getForecastWeeklyUnits().get(1)).isCloseTo(10.0, within(1e-6));
        assertThat(suggestion.getExplanation()).endsWith("A promotion is planned in 1 of the 2 weeks: x1.50, the lift "
                + "the brand expects (none measured yet).");
    }

    @Test
    void theExplanationWritesItsFiguresAsStringFormatWould() {
        // the explanation is written without String.format (a cost per publication); a dealer reads the same text
        java.util.Random random = new java.util.Random(2026);
        for (int i = 0; i < 200_000; i++) {
            double value = switch (i % 4) {
                case 0 -> random.nextDouble() * 1_000;
                case 1 -> Math.round(random.nextDouble() * 100_000) / 1_000.0; // ties at the rounded digit
                case 2 -> (random.nextInt(20_000) - 10_000) / 20.0;
                default -> random.nextGaussian() * 0.05; // negatives that round to zero: "-0.0"
            };
            for (int places = 1; places <= 2; places++) {
                assertThat(DealerSkuOutlook.fixed(value, places)).as("%s to %d places", value, places)
                        .isEqualTo(String.format(java.util.Locale.ROOT, "%." + places + "f", value));
            }
        }
        assertThat(DealerSkuOutlook.fixed(-0.0, 1)).isEqualTo("-0.0");
        assertThat(DealerSkuOutlook.fixed(Double.NaN, 1)).isEqualTo("NaN");
    }
}
