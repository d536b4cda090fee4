package io.channelstream.forecast;

import io.channelstream.events.DealerUpserted;
import io.channelstream.events.LateEvent;
import io.channelstream.events.OrderCancelled;
import io.channelstream.events.OrderEvent;
import io.channelstream.events.OrderPlaced;
import io.channelstream.events.ProductUpserted;
import io.channelstream.events.PromotionPlanned;
import io.channelstream.forecast.model.BundlePartners;
import io.channelstream.forecast.model.PromotionCalendar;
import io.channelstream.forecast.model.SeasonalityIndex;
import io.channelstream.forecast.model.WeekCalendar;
import io.channelstream.schemas.Topics;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import org.apache.avro.specific.SpecificRecord;

/**
 * The forecast topology's steps on orders, in plain maps on one thread: no Kafka Streams, no store, changelog,
 * repartition or transaction. The benchmark's baseline, so that the ratio prices what the topology adds
 * (durability, partitioning, exactly-once), not work the baseline skips. Per order it does what
 * {@code TrackOrders}, {@code KeepDealerDemand} and {@code KeepRegionalDemand} do: the same validation
 * ({@link TrackOrders#linesBySku}), the same lateness rule ({@link WeekClock}), the order remembered for its
 * cancellation and in-transit units, the dealer × SKU and region × SKU {@link WeekTally}s, the category's weekly
 * sums, the exact co-purchase baskets ({@link CoPurchaseIndex}), and the key marked; {@link #publishChanged}
 * then builds the same features and suggestion ({@link DealerSkuOutlook}, with the category's
 * {@link SeasonalityIndex} and the planned promotions) for the marked keys. Left out: receipts, sales and stock
 * positions (the benchmark's input is orders), and the seasonal alerts (a few records per category and week).
 */
public final class PlainForecast {

    private final ForecastConfig config;
    private final WeekCalendar calendar;
    private final WeekClock clock;
    private final DealerSkuOutlook outlook;
    private final Map<String, String> categoryBySku = new HashMap<>();
    private final Map<String, List<String>> regionsByDealer = new HashMap<>();
    private final Map<String, List<PromotionPlanned>> promotionsBySku = new HashMap<>();
    private final Map<String, OrderMemory> orders = new HashMap<>();
    private final TreeMap<String, String> ordersByTime = new TreeMap<>();
    private final Map<String, TreeMap<LocalDate, WeekTally>> dealerWeeks = new HashMap<>();
    private final Map<String, TreeMap<LocalDate, WeekTally>> regionWeeks = new HashMap<>();
    private final Map<String, Long> inTransit = new HashMap<>();
    private final Map<String, TreeMap<LocalDate, Long>> categoryWeeks = new HashMap<>();
    private final Map<String, SeasonalityIndex> seasonality = new HashMap<>();
    private final Set<String> changedCategories = new HashSet<>();
    private final CoPurchaseIndex coPurchase = new CoPurchaseIndex();
    private final Set<String> changed = new LinkedHashSet<>();
    private long streamTime = Long.MIN_VALUE;
    private long lastHousekeeping = Long.MIN_VALUE;
    private LocalDate lastWeekSeen;

    public PlainForecast(ForecastConfig config) {
        this.config = config;
        this.calendar = config.weeks();
        this.clock = new WeekClock(config);
        this.outlook = new DealerSkuOutlook(config);
    }

    /** Products (category), dealers (regions) and planned promotions, as the topology's global stores hold them. */
    public void masterData(SpecificRecord record) {
        if (record instanceof ProductUpserted product) {
            categoryBySku.put(product.getSku(), product.getCategory().name());
        } else if (record instanceof DealerUpserted dealer) {
            regionsByDealer.put(dealer.getDealerId(), List.copyOf(dealer.getAuthorizedRegionCodes()));
        } else if (record instanceof PromotionPlanned promotion) {
            promotionsBySku.computeIfAbsent(promotion.getSku(), s -> new ArrayList<>()).add(promotion);
        }
    }

    /** An order placed or cancelled; the late event the topology would publish for it, or null. */
    public LateEvent order(OrderEvent event) {
        long occurredAt = event.getOccurredAt().toEpochMilli();
        streamTime = Math.max(streamTime, occurredAt);
        rollWeekAndForget();
        if (event.getPayload() instanceof OrderPlaced placed) {
            return placed(event, placed, occurredAt);
        }
        if (event.getPayload() instanceof OrderCancelled) {
            return cancelled(event);
        }
        return null;
    }

    private LateEvent placed(OrderEvent event, OrderPlaced placed, long occurredAt) {
        if (orders.containsKey(event.getOrderId())) {
            return null;
        }
        Map<String, long[]> lines = TrackOrders.linesBySku(placed.getLines());
        String region = ForecastTopology.regionAtLevel(placed.getShipTo().getRegionCode(), config.regionLevel());
        boolean counted = !clock.isClosed(occurredAt, streamTime);
        lines.forEach((sku, line) -> {
            String key = Topics.key(placed.getDealerId(), sku);
            if (counted) {
                count(dealerWeeks, key, Signal.Demand.sellIn(occurredAt, line, placed.getPromo()));
                count(regionWeeks, Topics.key(region, sku),
                        new Signal.Demand(occurredAt, line[0], line[1], 0, false));
                addToCategory(sku, occurredAt, line[0]);
            }
            inTransit.merge(key, line[0], Long::sum);
            changed.add(key);
        });
        if (counted) {
            coPurchase.add(calendar.dateOf(event.getOccurredAt()), event.getOrderId(), lines.keySet());
        }
        orders.put(event.getOrderId(), new OrderMemory(placed.getDealerId(), region, occurredAt, placed.getPromo(),
                counted, lines, Map.of()));
        ordersByTime.put(TrackOrders.timeKey(occurredAt, event.getOrderId()), event.getOrderId());
        return counted ? null : clock.lateEvent(Topics.ORDERS.name(), event.getEventId(), "ORDER_PLACED",
                placed.getDealerId(), lines.values().stream().mapToLong(l -> l[0]).sum(), occurredAt, streamTime,
                "order placed in a week that had already closed");
    }

    private LateEvent cancelled(OrderEvent event) {
        OrderMemory order = orders.remove(event.getOrderId());
        if (order == null) {
            return null; // the topology dead-letters it
        }
        ordersByTime.remove(TrackOrders.timeKey(order.occurredAtMillis(), event.getOrderId()));
        boolean takeBack = order.counted() && !clock.isClosed(order.occurredAtMillis(), streamTime);
        order.lines().forEach((sku, line) -> {
            String key = Topics.key(order.dealerId(), sku);
            if (takeBack) {
                count(dealerWeeks, key, new Signal.Demand(order.occurredAtMillis(), -line[0], -line[1],
                        order.promo() ? -line[0] : 0, false));
                count(regionWeeks, Topics.key(order.regionCode(), sku),
                        new Signal.Demand(order.occurredAtMillis(), -line[0], -line[1], 0, false));
                addToCategory(sku, order.occurredAtMillis(), -line[0]);
            }
            inTransit.merge(key, -order.outstanding(sku), Long::sum);
            changed.add(key);
        });
        if (takeBack) {
            coPurchase.remove(calendar.dateOf(Instant.ofEpochMilli(order.occurredAtMillis())), event.getOrderId());
        }
        return order.counted() && !takeBack ? clock.lateEvent(Topics.ORDERS.name(), event.getEventId(),
                "ORDER_CANCELLED", order.dealerId(), 0, order.occurredAtMillis(), streamTime,
                "order cancelled after its week closed") : null;
    }

    private void count(Map<String, TreeMap<LocalDate, WeekTally>> weeks, String key, Signal.Demand demand) {
        Instant at = Instant.ofEpochMilli(demand.occurredAtMillis());
        weeks.computeIfAbsent(key, k -> new TreeMap<>()).merge(calendar.weekStart(at),
                WeekTally.empty().plus(demand, calendar.dayIndex(at)),
                (known, added) -> known.plus(demand, calendar.dayIndex(at)));
    }

    private void addToCategory(String sku, long occurredAt, long units) {
        String category = categoryBySku.get(sku);
        if (category != null) {
            categoryWeeks.computeIfAbsent(category, c -> new TreeMap<>())
                    .merge(calendar.weekStart(Instant.ofEpochMilli(occurredAt)), units, Long::sum);
            changedCategories.add(category);
        }
    }

    /** As the topology's stream-time punctuations: a new week marks every key; old orders and days are dropped. */
    private void rollWeekAndForget() {
        LocalDate week = calendar.weekStart(Instant.ofEpochMilli(streamTime));
        if (lastWeekSeen != null && week.isAfter(lastWeekSeen)) {
            changed.addAll(dealerWeeks.keySet());
            changed.addAll(inTransit.keySet());
        }
        lastWeekSeen = week;
        if (streamTime - lastHousekeeping < Duration.ofHours(1).toMillis()) {
            return;
        }
        lastHousekeeping = streamTime;
        String cutoff = TrackOrders.timeKey(streamTime - Duration.ofDays(config.inTransitDays()).toMillis(), "");
        for (Iterator<Map.Entry<String, String>> old = ordersByTime.headMap(cutoff).entrySet().iterator();
             old.hasNext(); ) {
            OrderMemory order = orders.remove(old.next().getValue());
            old.remove();
            if (order != null) {
                order.lines().keySet().forEach(sku -> {
                    String key = Topics.key(order.dealerId(), sku);
                    inTransit.merge(key, -order.outstanding(sku), Long::sum);
                    changed.add(key);
                });
            }
        }
        int keepDays = config.coPurchaseWindowDays() + (int) config.grace().toDays() + 7;
        coPurchase.forgetDaysBefore(calendar.dateOf(Instant.ofEpochMilli(streamTime)).minusDays(keepDays));
    }

    /**
     * Features and suggestion of at most {@code most} marked dealer × SKU keys (oldest mark first), as the
     * topology publishes them; the categories changed since the last call get a fresh seasonality index first.
     */
    public List<SpecificRecord> publishChanged(int most) {
        List<SpecificRecord> published = new ArrayList<>();
        if (streamTime == Long.MIN_VALUE) {
            return published;
        }
        LocalDate currentWeek = calendar.weekStart(Instant.ofEpochMilli(streamTime));
        for (String category : changedCategories) {
            seasonality.put(category, seasonalityOf(categoryWeeks.get(category), currentWeek));
        }
        changedCategories.clear();
        Iterator<String> marked = changed.iterator();
        for (int done = 0; marked.hasNext() && done < most; done++) {
            String key = marked.next();
            marked.remove();
            List<String> parts = Topics.keyParts(key);
            TreeMap<LocalDate, WeekTally> weeks = dealerWeeks.getOrDefault(key, new TreeMap<>());
            weeks.headMap(currentWeek.minusWeeks(config.historyWeeks() + 2L), false).clear();
            NavigableMap<LocalDate, WeekTally> tallies = new TreeMap<>(
                    weeks.subMap(currentWeek.minusWeeks(config.historyWeeks()), true, currentWeek, true));
            long newest = tallies.values().stream().mapToLong(WeekTally::newestOccurredAtMillis).max()
                    .orElse(streamTime);
            String category = categoryBySku.get(parts.get(1));
            DealerSkuOutlook.Outlook result = outlook.compute(new DealerSkuOutlook.Inputs(parts.get(0), parts.get(1),
                    category, tallies, currentWeek, category == null ? SeasonalityIndex.flat()
                    : seasonality.getOrDefault(category, SeasonalityIndex.flat()), 0, inTransit.getOrDefault(key, 0L),
                    newest), promotionsSeenBy(parts.get(0), parts.get(1)));
            published.add(result.features());
            published.add(result.suggestion());
        }
        return published;
    }

    private PromotionCalendar promotionsSeenBy(String dealerId, String sku) {
        if (promotionsBySku.isEmpty()) {
            return PromotionCalendar.NONE;
        }
        return PlannedPromotions.of(sku, promotionsBySku.getOrDefault(sku, List.of()),
                regionsByDealer.getOrDefault(dealerId, List.of()));
    }

    private SeasonalityIndex seasonalityOf(TreeMap<LocalDate, Long> weeks, LocalDate currentWeek) {
        NavigableMap<LocalDate, Long> kept = weeks.subMap(currentWeek.minusWeeks(config.categoryHistoryWeeks()), true,
                currentWeek, false);
        if (kept.isEmpty()) {
            return SeasonalityIndex.flat();
        }
        LocalDate first = kept.firstKey();
        double[] weekly = new double[WeekCalendar.weeksBetween(first, currentWeek)];
        kept.forEach((week, units) -> weekly[WeekCalendar.weeksBetween(first, week)] = units);
        SeasonalityIndex index = SeasonalityIndex.estimate(weekly, first);
        return SeasonalityIndex.of(index.byWeekOfYear(), weekly.length);
    }

    /** Dealer × SKU keys held (any demand or units in transit so far). */
    public int keys() {
        Set<String> keys = new HashSet<>(dealerWeeks.keySet());
        keys.addAll(inTransit.keySet());
        return keys.size();
    }

    /** Dealer × SKU keys marked and not yet published. */
    public int pending() {
        return changed.size();
    }

    /** The co-purchase counts of {@code sku} over the CST days {@code fromDay..toDay}. */
    public BundlePartners.Tally coPurchase(String sku, LocalDate fromDay, LocalDate toDay) {
        return coPurchase.tally(sku, fromDay, toDay);
    }
}
