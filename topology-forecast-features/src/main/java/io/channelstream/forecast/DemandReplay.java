package io.channelstream.forecast;

import io.channelstream.events.DealerUpserted;
import io.channelstream.events.DemandFeatures;
import io.channelstream.events.LocationUpserted;
import io.channelstream.events.MovementKind;
import io.channelstream.events.OrderEvent;
import io.channelstream.events.OrderPlaced;
import io.channelstream.events.OrderSuggestion;
import io.channelstream.events.ProductUpserted;
import io.channelstream.events.PromotionPlanned;
import io.channelstream.events.StockMovementRecorded;
import io.channelstream.events.WeeklyDemand;
import io.channelstream.forecast.model.PromotionCalendar;
import io.channelstream.forecast.model.SeasonalityIndex;
import io.channelstream.forecast.model.WeekCalendar;
import io.channelstream.schemas.Topics;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.apache.avro.specific.SpecificRecord;

/**
 * The topology's forecasting steps, replayed in one thread over a history of events, for the backtest:
 * orders and store sales become the same {@link Signal.Demand}s ({@link Signal.Demand#sellOut},
 * {@link Signal.Demand#sellIn}), counted into the same {@link WeekTally}s in the same weeks
 * ({@link ForecastConfig#weeks()}); the category's weekly totals give the same {@link SeasonalityIndex};
 * and {@link DealerSkuOutlook} turns them into the same features and order suggestion the topology
 * publishes. What is left out is what a replay in order does not need: partitions, grace (nothing is
 * late), the units in transit and available stock (they change the suggested quantity, not the forecast).
 * One difference in timing: the replay's category index includes the week that just ended, while the
 * topology's may lag it until that category's first change of the new week is counted (an index rests on
 * a year and more of weeks, so one week moves it little).
 *
 * <p>No look-ahead: {@link #publishAsOf} sees only what was {@link #accept}ed before it, and a forecast
 * for the week starting then rests on the complete weeks before it.
 */
public final class DemandReplay {

    private final ForecastConfig config;
    private final WeekCalendar calendar;
    private final DealerSkuOutlook outlook;
    private final Map<String, String> categoryBySku = new HashMap<>();
    private final Map<String, String> dealerByLocation = new HashMap<>();
    private final Map<String, NavigableMap<LocalDate, WeekTally>> talliesByKey = new TreeMap<>();
    private final Map<String, NavigableMap<LocalDate, Long>> unitsByCategoryWeek = new TreeMap<>();
    /** Null: every dealer × SKU sees the calendar given; else the promotions read from master data. */
    private final Map<String, Map<String, PromotionPlanned>> promotionsBySku;
    private final Map<String, List<String>> regionsByDealer = new HashMap<>();

    /** With a fixed calendar for everyone (e.g. {@link PromotionCalendar#NONE}). */
    public DemandReplay(ForecastConfig config, PromotionCalendar promotions) {
        this.config = config;
        this.calendar = config.weeks();
        this.outlook = new DealerSkuOutlook(config, promotions);
        this.promotionsBySku = null;
    }

    /**
     * As the topology: the promotions come from {@code master.promotions} records given to {@link #masterData},
     * each dealer seeing those its regions ({@code master.dealers}) are in ({@link PlannedPromotions}).
     */
    public DemandReplay(ForecastConfig config) {
        this.config = config;
        this.calendar = config.weeks();
        this.outlook = new DealerSkuOutlook(config, PromotionCalendar.NONE);
        this.promotionsBySku = new HashMap<>();
    }

    /** What the topology publishes for one dealer × SKU. */
    public record Published(String dealerId, String sku, DemandFeatures features, OrderSuggestion suggestion) {

        /** Our forecast of the week the suggestion was made in (the scorer's {@code forecastWeeklyUnits[0]}). */
        public double forecastUnits() {
            return suggestion.getForecastWeeklyUnits().get(0);
        }

        /** The topology's seasonal-naive baseline for the same week. */
        public double seasonalNaiveUnits() {
            return suggestion.getSeasonalNaiveWeeklyUnits().get(0);
        }

        /** Last complete week's demand (plain naive). */
        public double lastWeekUnits() {
            List<WeeklyDemand> weeks = features.getWeeks();
            return weeks.isEmpty() ? 0 : weeks.get(weeks.size() - 1).getUnits();
        }
    }

    /**
     * Master data the topology reads from its global stores: a product's category, a location's dealer, a
     * dealer's regions, a planned promotion.
     */
    public void masterData(SpecificRecord record) {
        if (record instanceof PromotionPlanned promotion) {
            if (promotionsBySku != null) {
                promotionsBySku.computeIfAbsent(promotion.getSku(), s -> new HashMap<>())
                        .put(promotion.getPromotionId(), promotion);
            }
        } else if (record instanceof DealerUpserted dealer) {
            regionsByDealer.put(dealer.getDealerId(), List.copyOf(dealer.getAuthorizedRegionCodes()));
        } else if (record instanceof ProductUpserted product) {
            categoryBySku.put(product.getSku(), product.getCategory().name());
        } else if (record instanceof LocationUpserted location && location.getDealerId() != null) {
            dealerByLocation.put(location.getLocationId(), location.getDealerId());
        }
    }

    /** An event of the orders or stock-movements topic, in event-time order; others are ignored. */
    public void accept(SpecificRecord record) {
        if (record instanceof StockMovementRecorded movement && movement.getKind() == MovementKind.SALE
                && movement.getQuantity() > 0) {
            String dealerId = dealerByLocation.get(movement.getLocationId());
            if (dealerId != null) {
                count(dealerId, movement.getSku(), Signal.Demand.sellOut(movement));
            }
        } else if (record instanceof OrderEvent order && order.getPayload() instanceof OrderPlaced placed) {
            long occurredAt = order.getOccurredAt().toEpochMilli();
            TrackOrders.linesBySku(placed.getLines()).forEach((sku, line) ->
                    count(placed.getDealerId(), sku, Signal.Demand.sellIn(occurredAt, line, placed.getPromo())));
        }
    }

    /** As {@code KeepDealerDemand} counts a demand: into its CST week's tally, and into its category's week. */
    private void count(String dealerId, String sku, Signal.Demand demand) {
        Instant at = Instant.ofEpochMilli(demand.occurredAtMillis());
        LocalDate week = calendar.weekStart(at);
        talliesByKey.computeIfAbsent(Topics.key(dealerId, sku), k -> new TreeMap<>())
                .merge(week, WeekTally.empty().plus(demand, calendar.dayIndex(at)),
                        (known, added) -> known.plus(demand, calendar.dayIndex(at)));
        String category = categoryBySku.get(sku);
        if (category != null) {
            unitsByCategoryWeek.computeIfAbsent(category, c -> new TreeMap<>()).merge(week, demand.units(), Long::sum);
        }
    }

    /** Units sold (sell-out) by a dealer of a SKU in the week starting {@code weekStart}, as counted. */
    public long soldUnits(String dealerId, String sku, LocalDate weekStart) {
        NavigableMap<LocalDate, WeekTally> tallies = talliesByKey.get(Topics.key(dealerId, sku));
        WeekTally tally = tallies == null ? null : tallies.get(weekStart);
        return tally == null ? 0 : tally.soldUnits();
    }

    /**
     * Features and suggestion of every dealer × SKU seen so far, as published when stream time enters the
     * week starting {@code weekStart} (its forecast rests on the complete weeks before it).
     */
    public Map<String, Published> publishAsOf(LocalDate weekStart) {
        long asOfMillis = calendar.startOf(weekStart).toEpochMilli();
        Map<String, SeasonalityIndex> seasonality = new HashMap<>();
        unitsByCategoryWeek.forEach((category, weeks) -> seasonality.put(category, seasonalityOf(weeks, weekStart)));
        LocalDate oldestKept = weekStart.minusWeeks(config.historyWeeks());
        Map<String, Published> published = new TreeMap<>();
        for (Map.Entry<String, NavigableMap<LocalDate, WeekTally>> entry : talliesByKey.entrySet()) {
            NavigableMap<LocalDate, WeekTally> tallies = entry.getValue().subMap(oldestKept, true, weekStart, true);
            if (tallies.isEmpty()) {
                continue;
            }
            List<String> parts = Topics.keyParts(entry.getKey());
            String category = categoryBySku.get(parts.get(1));
            DealerSkuOutlook.Inputs inputs = new DealerSkuOutlook.Inputs(parts.get(0), parts.get(1),
                    category, new TreeMap<>(tallies), weekStart,
                    category == null ? SeasonalityIndex.flat() : seasonality.get(category), 0, 0, asOfMillis);
            DealerSkuOutlook.Outlook result = promotionsBySku == null ? outlook.compute(inputs)
                    : outlook.compute(inputs, promotionsSeenBy(parts.get(0), parts.get(1)));
            published.put(entry.getKey(), new Published(parts.get(0), parts.get(1), result.features(),
                    result.suggestion()));
        }
        return published;
    }

    /** As {@code KeepDealerDemand}: NONE until a promotion is known, then the dealer's promotions of the SKU. */
    private PromotionCalendar promotionsSeenBy(String dealerId, String sku) {
        if (promotionsBySku.isEmpty()) {
            return PromotionCalendar.NONE;
        }
        return PlannedPromotions.of(sku, promotionsBySku.getOrDefault(sku, Map.of()).values(),
                regionsByDealer.getOrDefault(dealerId, List.of()));
    }

    /** As {@code KeepCategorySeasonality}: the complete weeks kept, from the first with demand, then the index. */
    private SeasonalityIndex seasonalityOf(NavigableMap<LocalDate, Long> weeks, LocalDate currentWeek) {
        NavigableMap<LocalDate, Long> kept = weeks.subMap(currentWeek.minusWeeks(config.categoryHistoryWeeks()), true,
                currentWeek, false);
        if (kept.isEmpty()) {
            return SeasonalityIndex.flat();
        }
        LocalDate first = kept.firstKey();
        double[] weekly = new double[WeekCalendar.weeksBetween(first, currentWeek)];
        kept.forEach((week, units) -> weekly[WeekCalendar.weeksBetween(first, week)] = units);
        SeasonalityIndex index = SeasonalityIndex.estimate(weekly, first);
        // the topology passes it through CategorySeasonality and rebuilds it the same way
        return SeasonalityIndex.of(index.byWeekOfYear(), weekly.length);
    }

    public List<String> keys() {
        return new ArrayList<>(talliesByKey.keySet());
    }
}
