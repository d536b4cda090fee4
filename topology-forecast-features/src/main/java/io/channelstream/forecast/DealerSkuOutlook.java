package io.channelstream.forecast;

import io.channelstream.events.DemandFeatures;
import io.channelstream.events.OrderSuggestion;
import io.channelstream.events.WeeklyDemand;
import io.channelstream.forecast.model.DayOfWeekShape;
import io.channelstream.forecast.model.DemandForecaster;
import io.channelstream.forecast.model.OrderSuggestionMath;
import io.channelstream.forecast.model.PromoLift;
import io.channelstream.forecast.model.PromotionCalendar;
import io.channelstream.forecast.model.SeasonalNaive;
import io.channelstream.forecast.model.SeasonalityIndex;
import io.channelstream.forecast.model.WeekCalendar;
import io.channelstream.forecast.model.WeeklyDemandStats;
import io.channelstream.forecast.model.WeeklySeries;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.NavigableMap;
import java.util.OptionalDouble;

/**
 * Features and order suggestion of one dealer × SKU from its weekly tallies: no Kafka here, so the
 * figures can be checked by hand (and are, in the tests).
 *
 * <p>Which demand: the dealer's sell-out (store sales) when it reported any for this SKU within the
 * horizon, otherwise its sell-in (units it ordered). Adding the two would count the same goods twice:
 * what a dealer orders it later sells.
 */
final class DealerSkuOutlook {

    static final String SELL_OUT = "SELL_OUT";
    static final String SELL_IN = "SELL_IN";

    private final ForecastConfig config;
    private final DemandForecaster forecaster;
    private final PromotionCalendar promotions;
    private final EventIds eventIds = new EventIds();

    DealerSkuOutlook(ForecastConfig config) {
        this(config, PromotionCalendar.NONE);
    }

    DealerSkuOutlook(ForecastConfig config, PromotionCalendar promotions) {
        this.config = config;
        this.forecaster = new DemandForecaster(config.smoothing());
        this.promotions = promotions;
    }

    /**
     * @param tallies          weekly tallies by week start, including the current open week if it has any
     * @param currentWeekStart the open week (from stream time)
     * @param category         ProductCategory name, or null when the product is unknown
     */
    record Inputs(String dealerId, String sku, String category, NavigableMap<LocalDate, WeekTally> tallies,
                  LocalDate currentWeekStart, SeasonalityIndex seasonality, long availableUnits, long inTransitUnits,
                  long asOfMillis) {}

    record Outlook(DemandFeatures features, OrderSuggestion suggestion) {}

    Outlook compute(Inputs in) {
        return compute(in, promotions);
    }

    /** As {@link #compute(Inputs)}, with the promotion calendar this dealer × SKU sees (the brand's, or NONE). */
    Outlook compute(Inputs in, PromotionCalendar promotions) {
        LocalDate horizonStart = in.currentWeekStart().minusWeeks(config.horizonWeeks());
        boolean sellOut = in.tallies().subMap(horizonStart, true, in.currentWeekStart(), true).values().stream()
                .anyMatch(t -> t.soldUnits() != 0);
        String signal = sellOut ? SELL_OUT : SELL_IN;
        TalliesByWeek byWeek = TalliesByWeek.of(in.tallies(), horizonStart, in.currentWeekStart());

        // the horizon: the last complete weeks, zeros where nothing happened
        List<WeeklyDemand> weeks = new ArrayList<>();
        double[] horizonUnits = new double[config.horizonWeeks()];
        boolean[] horizonPromo = new boolean[config.horizonWeeks()];
        long[] unitsByDay = new long[7];
        for (int i = 0; i < config.horizonWeeks(); i++) {
            LocalDate week = horizonStart.plusWeeks(i);
            WeekTally tally = byWeek.orEmpty(week);
            // the all-fields constructor: the same record as its builder makes, without the builder's field checks
            weeks.add(new WeeklyDemand(week, units(tally, sellOut),
                    sellOut ? tally.soldRevenueFen() : tally.orderedRevenueFen(), tally.orderedUnits(),
                    tally.soldUnits(), tally.promo()));
            horizonUnits[i] = units(tally, sellOut);
            horizonPromo[i] = tally.promo();
            addDays(unitsByDay, tally, sellOut);
        }
        WeekTally current = byWeek.orEmpty(in.currentWeekStart());
        addDays(unitsByDay, current, sellOut);

        double[] horizonIndex = new double[horizonUnits.length];
        for (int i = 0; i < horizonIndex.length; i++) {
            horizonIndex[i] = in.seasonality().index(horizonStart.plusWeeks(i));
        }
        WeeklyDemandStats stats = WeeklyDemandStats.of(horizonUnits);
        // promo weeks are compared with the weeks since the dealer first had demand, not with the empty
        // weeks before it started selling the SKU
        int firstActive = 0;
        while (firstActive < horizonUnits.length - 1 && horizonUnits[firstActive] == 0) {
            firstActive++;
        }
        OptionalDouble lift = PromoLift.estimate(
                Arrays.copyOfRange(horizonUnits, firstActive, horizonUnits.length),
                Arrays.copyOfRange(horizonPromo, firstActive, horizonPromo.length),
                Arrays.copyOfRange(horizonIndex, firstActive, horizonIndex.length));
        int promoWeeks = 0;
        for (boolean promo : horizonPromo) {
            promoWeeks += promo ? 1 : 0;
        }
        boolean seasonKnown = in.seasonality().coveredWeeks() > 0;
        DemandFeatures features = DemandFeatures.newBuilder()
                .setEventId(eventIds.next())
                .setOccurredAt(Instant.ofEpochMilli(in.asOfMillis()))
                .setSource(ForecastTopology.SOURCE)
                .setDealerId(in.dealerId())
                .setSku(in.sku())
                .setCategory(in.category())
                .setAsOfWeekStart(in.currentWeekStart())
                .setDemandSignal(signal)
                .setWeeks(weeks)
                .setCurrentWeekUnits(units(current, sellOut))
                .setCurrentWeekRevenueFen(sellOut ? current.soldRevenueFen() : current.orderedRevenueFen())
                .setMeanWeeklyUnits(stats.meanUnits())
                .setTrendUnitsPerWeek(stats.trendUnitsPerWeek())
                .setStdDevWeeklyUnits(stats.stdDevUnits())
                .setCoefficientOfVariation(Double.isNaN(stats.coefficientOfVariation()) ? null
                        : stats.coefficientOfVariation())
                .setDayOfWeekIndex(boxed(DayOfWeekShape.of(unitsByDay)))
                .setPromoLift(lift.isPresent() ? lift.getAsDouble() : null)
                .setPromoWeeks(promoWeeks)
                .setSeasonalityIndex(seasonKnown ? in.seasonality().index(in.currentWeekStart()) : null)
                .build();
        return new Outlook(features, suggestion(in, byWeek, sellOut, lift, promotions));
    }

    private OrderSuggestion suggestion(Inputs in, TalliesByWeek byWeek, boolean sellOut, OptionalDouble horizonLift,
                                       PromotionCalendar promotions) {
        // the forecast rests on every complete week kept, from the first with any demand
        LocalDate first = in.tallies().isEmpty() ? in.currentWeekStart()
                : in.tallies().firstKey().isBefore(in.currentWeekStart()) ? in.tallies().firstKey() : in.currentWeekStart();
        int n = WeekCalendar.weeksBetween(first, in.currentWeekStart());
        double[] history = new double[n];
        boolean[] promo = new boolean[n];
        double[] index = new double[n];
        for (int i = 0; i < n; i++) {
            WeekTally tally = byWeek.get(first.plusWeeks(i));
            if (tally != null) {
                history[i] = units(tally, sellOut);
                promo[i] = tally.promo();
            }
            index[i] = in.seasonality().index(first.plusWeeks(i));
        }
        int leadTimeDays = config.leadTimeDaysOf(in.category());
        int weeksAhead = OrderSuggestionMath.weeksToCover(leadTimeDays);
        boolean[] planned = new boolean[weeksAhead];
        OptionalDouble lift = horizonLift;
        boolean expectedLiftUsed = false;
        if (promotions.known()) {
            // the brand's calendar says which weeks ran a promotion (an order's flag is one per order, so a
            // dealer's weekly order with one promoted line would flag every SKU on it) and which will
            for (int i = 0; i < n; i++) {
                promo[i] = promotions.promoted(in.sku(), first.plusWeeks(i));
            }
            for (int h = 0; h < weeksAhead; h++) {
                planned[h] = promotions.promoted(in.sku(), in.currentWeekStart().plusWeeks(h));
            }
            // a SKU runs a promotion a few weeks a year: the lift needs every week kept, not the quarter
            lift = PromoLift.estimate(history, promo, index);
            if (lift.isEmpty()) {
                // no past promotion week to measure one from: the planner's expectation, if it gave one
                for (int h = 0; h < weeksAhead && lift.isEmpty(); h++) {
                    lift = planned[h] ? promotions.expectedLift(in.sku(), in.currentWeekStart().plusWeeks(h))
                            : OptionalDouble.empty();
                }
                expectedLiftUsed = lift.isPresent();
            }
        }
        DemandForecaster.ForecastResult forecast = forecaster.forecast(new WeeklySeries(first, history, promo),
                in.seasonality(), lift, planned);
        double[] naive = SeasonalNaive.forecast(history, weeksAhead);
        OrderSuggestionMath.Figures figures = OrderSuggestionMath.suggest(forecast.weeklyUnits(),
                forecast.errorStdDevUnits(), leadTimeDays, config.safetyStockFactor(), in.availableUnits(),
                in.inTransitUnits());
        // String.format took an eighth of the stream thread in the benchmark; the same text, written directly
        String explanation = new StringBuilder(200)
                .append("Order ").append(figures.suggestedUnits()).append(": ")
                .append(fixed(figures.expectedDemandOverLeadTimeUnits(), 1)).append(" units expected over the ")
                .append(leadTimeDays).append("-day lead time + ").append(fixed(figures.safetyStockUnits(), 1))
                .append(" safety stock (").append(fixed(config.safetyStockFactor(), 2)).append(" x ")
                .append(fixed(forecast.errorStdDevUnits(), 1)).append(" x sqrt(").append(fixed(leadTimeDays / 7.0, 1))
                .append(" weeks)) - ").append(in.availableUnits()).append(" available - ").append(in.inTransitUnits())
                .append(" in transit; forecast from ").append(n).append(" weeks of ")
                .append(sellOut ? "sell-out" : "sell-in").append(" demand.")
                .toString()
                + promotionNote(planned, lift, expectedLiftUsed);
        return OrderSuggestion.newBuilder()
                .setEventId(eventIds.next())
                .setOccurredAt(Instant.ofEpochMilli(in.asOfMillis()))
                .setSource(ForecastTopology.SOURCE)
                .setDealerId(in.dealerId())
                .setSku(in.sku())
                .setCategory(in.category())
                .setSuggestedUnits(figures.suggestedUnits())
                .setMethod(DemandForecaster.METHOD)
                .setForecastWeekStart(in.currentWeekStart())
                .setForecastWeeklyUnits(boxed(forecast.weeklyUnits()))
                .setSeasonalNaiveWeeklyUnits(boxed(naive))
                .setLeadTimeDays(leadTimeDays)
                .setExpectedDemandOverLeadTimeUnits(figures.expectedDemandOverLeadTimeUnits())
                .setSafetyStockFactor(config.safetyStockFactor())
                .setForecastErrorStdDevUnits(forecast.errorStdDevUnits())
                .setSafetyStockUnits(figures.safetyStockUnits())
                .setAvailableUnits(in.availableUnits())
                .setInTransitUnits(in.inTransitUnits())
                .setLevelUnitsPerWeek(forecast.levelUnitsPerWeek())
                .setTrendUnitsPerWeek(forecast.trendUnitsPerWeek())
                .setSeasonalIndices(boxed(forecast.seasonalIndices()))
                .setPromoLift(lift.isPresent() ? lift.getAsDouble() : null)
                .setHistoryWeeks(n)
                .setExplanation(explanation)
                .build();
    }

    /** Says which weeks ahead the forecast holds a planned promotion in, and with which lift. */
    private static String promotionNote(boolean[] planned, OptionalDouble lift, boolean expectedLiftUsed) {
        int weeks = 0;
        for (boolean promo : planned) {
            weeks += promo ? 1 : 0;
        }
        if (weeks == 0) {
            return "";
        }
        return lift.isPresent()
                ? String.format(Locale.ROOT, " A promotion is planned in %d of the %d weeks: x%.2f, %s.",
                        weeks, planned.length, lift.getAsDouble(),
                        expectedLiftUsed ? "the lift the brand expects (none measured yet)" : "this series' lift")
                : String.format(Locale.ROOT, " A promotion is planned in %d of the %d weeks; its lift is not known yet.",
                        weeks, planned.length);
    }

    /**
     * {@code value} with {@code places} decimals, exactly as {@code String.format(Locale.ROOT, "%.<places>f")}
     * writes it (half-up on the shortest decimal form, "-0.0" for a negative that rounds to zero), at a
     * fraction of its cost.
     */
    static String fixed(double value, int places) {
        if (!Double.isFinite(value)) {
            return String.format(Locale.ROOT, "%." + places + "f", value);
        }
        boolean negative = Math.copySign(1.0, value) < 0;
        // the shortest decimal form is Double.toString's (as BigDecimal.valueOf reads it); in plain notation
        // (1e-3 <= |value| < 1e7, or zero) it is rounded here digit by digit, half-up on the first dropped digit
        String shortest = Double.toString(Math.abs(value));
        int point = shortest.indexOf('.');
        if (shortest.indexOf('E') >= 0 || point < 0) {
            String text = BigDecimal.valueOf(value).setScale(places, RoundingMode.HALF_UP).toPlainString();
            return negative && !text.startsWith("-") ? "-" + text : text;
        }
        int keep = point + 1 + places; // characters of the result before any carry
        char[] digits = new char[keep];
        for (int i = 0; i < keep; i++) {
            digits[i] = i < shortest.length() ? shortest.charAt(i) : '0';
        }
        boolean carry = keep < shortest.length() && shortest.charAt(keep) >= '5';
        for (int i = keep - 1; carry && i >= 0; i--) {
            if (digits[i] == '.') {
                continue;
            }
            if (digits[i] == '9') {
                digits[i] = '0';
            } else {
                digits[i]++;
                carry = false;
            }
        }
        StringBuilder text = new StringBuilder(keep + 2);
        if (negative) {
            text.append('-');
        }
        if (carry) {
            text.append('1');
        }
        return text.append(digits).toString();
    }

    /**
     * The tallies of the weeks a computation reads (from the earlier of the first kept week and the horizon's start
     * to the current week), by their distance in weeks from the first: each week is looked up many times (horizon,
     * history, current week), and a sorted map's search of dates took a few percent of the stream thread.
     */
    private static final class TalliesByWeek {
        private final long originEpochDay;
        private final WeekTally[] tallies;
        private final NavigableMap<LocalDate, WeekTally> byDate;
        /** A week start off the grid of the first (never from the stores, whose keys are week starts): look it up. */
        private boolean offGrid;

        private TalliesByWeek(long originEpochDay, WeekTally[] tallies, NavigableMap<LocalDate, WeekTally> byDate) {
            this.originEpochDay = originEpochDay;
            this.tallies = tallies;
            this.byDate = byDate;
        }

        static TalliesByWeek of(NavigableMap<LocalDate, WeekTally> tallies, LocalDate horizonStart, LocalDate current) {
            LocalDate origin = tallies.isEmpty() || !tallies.firstKey().isBefore(horizonStart) ? horizonStart
                    : tallies.firstKey();
            long originEpochDay = origin.toEpochDay();
            TalliesByWeek byWeek = new TalliesByWeek(originEpochDay,
                    new WeekTally[(int) ((current.toEpochDay() - originEpochDay) / 7) + 1], tallies);
            for (var week : tallies.subMap(origin, true, current, true).entrySet()) {
                int i = byWeek.indexOf(week.getKey());
                if (i >= 0) {
                    byWeek.tallies[i] = week.getValue();
                } else {
                    byWeek.offGrid = true;
                }
            }
            return byWeek;
        }

        /** Where the week starting {@code week} is held, or -1: before or after the weeks held, or off their grid. */
        private int indexOf(LocalDate week) {
            long days = week.toEpochDay() - originEpochDay;
            return days < 0 || days % 7 != 0 || days / 7 >= tallies.length ? -1 : (int) (days / 7);
        }

        /** The tally of the week starting {@code week}, or null. */
        WeekTally get(LocalDate week) {
            if (offGrid) {
                return byDate.get(week);
            }
            int i = indexOf(week);
            return i < 0 ? null : tallies[i];
        }

        WeekTally orEmpty(LocalDate week) {
            WeekTally tally = get(week);
            return tally == null ? WeekTally.empty() : tally;
        }
    }

    private static long units(WeekTally tally, boolean sellOut) {
        return sellOut ? tally.soldUnits() : tally.orderedUnits();
    }

    private static void addDays(long[] unitsByDay, WeekTally tally, boolean sellOut) {
        long[] days = sellOut ? tally.soldUnitsByDay() : tally.orderedUnitsByDay();
        for (int day = 0; day < 7; day++) {
            unitsByDay[day] += days[day];
        }
    }

    private static List<Double> boxed(double[] values) {
        List<Double> boxed = new ArrayList<>(values.length);
        for (double value : values) {
            boxed.add(value);
        }
        return boxed;
    }
}
