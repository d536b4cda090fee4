package io.channelstream.forecast;

import io.channelstream.events.CategorySeasonality;
import io.channelstream.events.DealerUpserted;
import io.channelstream.events.DemandFeatures;
import io.channelstream.events.OrderSuggestion;
import io.channelstream.events.ProductUpserted;
import io.channelstream.events.PromotionPlanned;
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
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Everything known about one dealer × SKU: its weekly demand, its available stock and its units in
 * transit. A record brings what one fact (an order, a receipt, a sale, a stock position) changes for
 * one dealer (key dealerId), SKU by SKU. Each change marks the dealer × SKU; at every publish interval
 * the marked keys get fresh features and a fresh order suggestion, stored (for queries) and published.
 *
 * <p>The marks are kept in memory, not in a store: a mark written to a logged store cost a write and a
 * changelog record per order line. What makes that safe: every key this task holds is marked when the
 * task starts ({@link #init}: after a crash, a restart or a move to another instance), so a change whose
 * mark was lost with the process is published all the same, at the cost of recomputing every key once
 * (as when a week starts).
 *
 * <p>Outputs: {@link DemandFeatures}, {@link OrderSuggestion}, and the category's weekly demand
 * changes (summed here first, so the category step gets one record per category and week per
 * interval instead of one per order line).
 *
 * <p>How much is published per interval: while facts keep arriving, a task catching up (stream time more than
 * {@link ForecastConfig#liveLagMillis} behind the wall clock) publishes at most
 * {@link ForecastConfig#maxPublishesPerBusyInterval} keys; a live one spends its share of the thread's
 * {@link ForecastConfig#livePublishBudgetMillis}; with no fact since the last interval, up to
 * {@link ForecastConfig#maxPublishesPerInterval}.
 *
 * <p>Promotions: once the brand publishes its calendar ({@code master.promotions}, a global store), each
 * dealer × SKU forecasts with the promotions it is in ({@link PlannedPromotions}); a SKU the calendar does not
 * name is known to run none. Before any is published, promotion weeks are read from the orders' flags. A
 * promotion planned, changed or withdrawn marks every dealer of its SKU, so their suggestions follow it.
 */
final class KeepDealerDemand implements Processor<String, Signal.ForDealer, String, Object> {

    private final ForecastConfig config;
    private final WeekCalendar calendar;
    private final DealerSkuOutlook outlook;
    private ProcessorContext<String, Object> context;
    private WindowStore<String, WeekTally> weekly;
    private KeyValueStore<String, SignalSerdes.Live> live;
    private KeyValueStore<String, DealerSkuOutlook.Outlook> published;
    private KeyValueStore<String, Long> categoryChanges;
    private KeyValueStore<String, ProductUpserted> products;
    private KeyValueStore<String, CategorySeasonality> seasonality;
    private KeyValueStore<String, PromotionPlanned> promotionStore;
    private KeyValueStore<String, DealerUpserted> dealers;
    /** Dealer × SKU keys changed since their last publication, oldest change first. */
    private final Set<String> changed = new LinkedHashSet<>();
    /**
     * Master data as read in this publish interval: a product's category is looked up for every order line and
     * a category's seasonality for every publication, and a change of either takes effect at the next interval.
     */
    private final Map<String, String> categoryBySku = new HashMap<>();
    private final Map<String, SeasonalityIndex> seasonalityByCategory = new HashMap<>();
    /** Whether facts arrived since the last publication: then only a bounded share of the thread publishes. */
    private boolean factsSincePublication;
    /**
     * The dealer tasks of this stream thread, live or not (this one included while initialised): a live busy
     * interval's publication budget is shared equally among them. One set per thread; a task is closed on the thread
     * that initialised it, but the set is concurrent all the same.
     */
    private static final ThreadLocal<Set<KeepDealerDemand>> TASKS_OF_THREAD =
            ThreadLocal.withInitial(ConcurrentHashMap::newKeySet);
    private Set<KeepDealerDemand> tasksOfThread;
    private LocalDate lastWeekSeen;
    /** The promotions as last read, by store key, and by SKU (rebuilt when they change). */
    private Map<String, String> promotionVersions = Map.of();
    private Map<String, List<PromotionPlanned>> promotionsBySku = Map.of();

    KeepDealerDemand(ForecastConfig config) {
        this.config = config;
        this.calendar = config.weeks();
        this.outlook = new DealerSkuOutlook(config);
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        weekly = context.getStateStore(ForecastTopology.WEEKLY_DEMAND_STORE);
        live = context.getStateStore(ForecastTopology.LIVE_STORE);
        published = context.getStateStore(ForecastTopology.PUBLISHED_STORE);
        categoryChanges = context.getStateStore(ForecastTopology.CATEGORY_CHANGES_STORE);
        products = context.getStateStore(ForecastTopology.PRODUCTS_STORE);
        seasonality = context.getStateStore(ForecastTopology.SEASONALITY_STORE);
        promotionStore = context.getStateStore(ForecastTopology.PROMOTIONS_STORE);
        dealers = context.getStateStore(ForecastTopology.DEALERS_STORE);
        tasksOfThread = TASKS_OF_THREAD.get();
        tasksOfThread.add(this);
        changed.clear();
        markEveryKey(); // a change whose mark was lost (crash, restart, move) is published all the same
        context.schedule(Duration.ofMillis(config.publishIntervalMillis()), PunctuationType.WALL_CLOCK_TIME,
                now -> publishChanged());
        context.schedule(Duration.ofHours(1), PunctuationType.STREAM_TIME, this::rollWeek);
    }

    @Override
    public void process(Record<String, Signal.ForDealer> record) {
        String dealerId = record.key();
        Signal.ForDealer signal = record.value();
        if (dealerId == null || signal == null) {
            return;
        }
        factsSincePublication = true;
        Map<String, Long> categoryWeeks = new HashMap<>();
        for (Signal.SkuChange change : signal.changes()) {
            String key = Topics.key(dealerId, change.sku());
            if (change.demand() != null) {
                countDemand(key, change.sku(), change.demand(), categoryWeeks);
            }
            SignalSerdes.Live known = live.get(key);
            if (known == null || change.inTransitUnits() != 0 || change.availableUnits() != 0) {
                // every key held has a live record, even with nothing in transit: it is how init finds them all
                live.put(key, (known == null ? SignalSerdes.Live.NONE : known)
                        .plus(change.inTransitUnits(), change.availableUnits()));
            }
            changed.add(key);
        }
        categoryWeeks.forEach((categoryWeek, units) -> add(categoryChanges, categoryWeek, units));
    }

    private void countDemand(String key, String sku, Signal.Demand demand, Map<String, Long> categoryWeeks) {
        Instant at = Instant.ofEpochMilli(demand.occurredAtMillis());
        LocalDate week = calendar.weekStart(at);
        long weekStartMillis = calendar.startOf(week).toEpochMilli();
        WeekTally tally = weekly.fetch(key, weekStartMillis);
        weekly.put(key, (tally == null ? WeekTally.empty() : tally).plus(demand, calendar.dayIndex(at)), weekStartMillis);
        String category = categoryOf(sku);
        if (category != null) {
            categoryWeeks.merge(Topics.key(category, Long.toString(week.toEpochDay())), demand.units(), Long::sum);
        }
    }

    private void markEveryKey() {
        try (KeyValueIterator<String, SignalSerdes.Live> all = live.all()) {
            all.forEachRemaining(entry -> changed.add(entry.key));
        }
    }

    /** Publishes fresh features and suggestions of the keys changed since the last interval. */
    void publishChanged() {
        long streamTime = context.currentStreamTimeMs();
        if (streamTime < 0) {
            return; // nothing processed yet
        }
        categoryBySku.clear();
        seasonalityByCategory.clear();
        markDealersOfChangedPromotions();
        boolean live = streamTime >= context.currentSystemTimeMs() - config.liveLagMillis();
        boolean budgeted = factsSincePublication && live;
        int most = factsSincePublication && !live ? config.maxPublishesPerBusyInterval()
                : config.maxPublishesPerInterval();
        // live and busy: a share of the thread's wall-clock budget instead of a count
        long deadline = budgeted ? System.nanoTime()
                + config.livePublishBudgetMillis() * 1_000_000L / Math.max(1, tasksOfThread.size()) : Long.MAX_VALUE;
        factsSincePublication = false;
        Iterator<String> marked = changed.iterator();
        for (int published = 0; marked.hasNext() && published < most; published++) {
            if (budgeted && System.nanoTime() >= deadline) {
                break;
            }
            String key = marked.next();
            marked.remove();
            publish(key, streamTime);
        }
        List<KeyValue<String, Long>> categoryWeeks = new ArrayList<>();
        try (KeyValueIterator<String, Long> pending = categoryChanges.all()) {
            pending.forEachRemaining(categoryWeeks::add);
        }
        for (KeyValue<String, Long> change : categoryWeeks) {
            List<String> parts = Topics.keyParts(change.key);
            context.forward(new Record<>(parts.get(0),
                    new SignalSerdes.CategoryWeekDelta(Long.parseLong(parts.get(1)), change.value), streamTime));
            categoryChanges.delete(change.key);
        }
    }

    @Override
    public void close() {
        if (tasksOfThread != null) {
            tasksOfThread.remove(this);
        }
    }

    private void publish(String key, long streamTime) {
        List<String> parts = Topics.keyParts(key);
        String dealerId = parts.get(0);
        String sku = parts.get(1);
        LocalDate currentWeek = calendar.weekStart(Instant.ofEpochMilli(streamTime));
        TreeMap<LocalDate, WeekTally> tallies = new TreeMap<>();
        long newest = Long.MIN_VALUE;
        Instant from = calendar.startOf(currentWeek.minusWeeks(config.historyWeeks()));
        // the millisecond overload: the Instant one formats an error-message prefix with String.format on every call
        try (WindowStoreIterator<WeekTally> weeks = weekly.fetch(key, from.toEpochMilli(),
                calendar.startOf(currentWeek).toEpochMilli())) {
            while (weeks.hasNext()) {
                KeyValue<Long, WeekTally> week = weeks.next();
                tallies.put(calendar.weekStart(Instant.ofEpochMilli(week.key)), week.value);
                newest = Math.max(newest, week.value.newestOccurredAtMillis());
            }
        }
        String category = categoryOf(sku);
        SignalSerdes.Live stock = live.get(key);
        if (stock == null) {
            stock = SignalSerdes.Live.NONE;
        }
        DealerSkuOutlook.Outlook result = outlook.compute(new DealerSkuOutlook.Inputs(dealerId, sku, category, tallies,
                currentWeek, seasonalityOf(category), stock.availableUnits(), stock.inTransitUnits(),
                newest == Long.MIN_VALUE ? streamTime : newest), promotionsSeenBy(dealerId, sku));
        // stored (features and suggestion in one record), then published at once: the topics get the bytes the
        // store was given (EncodedOnce)
        published.put(key, result);
        context.forward(new Record<>(key, result.features(), streamTime));
        context.forward(new Record<>(key, result.suggestion(), streamTime));
    }

    /**
     * When stream time enters a new week, every key's horizon moves by a week (a week without demand
     * is a zero in it), so every key with features gets recomputed, spread over the publish intervals.
     */
    private void rollWeek(long streamTime) {
        LocalDate week = calendar.weekStart(Instant.ofEpochMilli(streamTime));
        if (lastWeekSeen != null && week.isAfter(lastWeekSeen)) {
            markEveryKey();
        }
        lastWeekSeen = week;
    }

    /**
     * Reads the promotions store (small: a SKU runs a few promotions a year) and marks every dealer × SKU
     * whose SKU gained, changed or lost a promotion since the last read.
     */
    private void markDealersOfChangedPromotions() {
        Map<String, String> versions = new HashMap<>();
        Map<String, List<PromotionPlanned>> bySku = new HashMap<>();
        try (KeyValueIterator<String, PromotionPlanned> all = promotionStore.all()) {
            while (all.hasNext()) {
                KeyValue<String, PromotionPlanned> entry = all.next();
                versions.put(entry.key, entry.value.getEventId());
                bySku.computeIfAbsent(entry.value.getSku(), s -> new ArrayList<>()).add(entry.value);
            }
        }
        if (versions.equals(promotionVersions)) {
            return;
        }
        Set<String> changedSkus = new HashSet<>();
        Set<String> keys = new HashSet<>(versions.keySet());
        keys.addAll(promotionVersions.keySet());
        for (String promotionKey : keys) {
            if (!Objects.equals(versions.get(promotionKey), promotionVersions.get(promotionKey))) {
                changedSkus.add(Topics.keyParts(promotionKey).get(0));
            }
        }
        boolean calendarAppearedOrWent = versions.isEmpty() != promotionVersions.isEmpty();
        promotionVersions = versions;
        promotionsBySku = bySku;
        try (KeyValueIterator<String, SignalSerdes.Live> all = live.all()) {
            while (all.hasNext()) {
                String key = all.next().key;
                if (calendarAppearedOrWent || changedSkus.contains(Topics.keyParts(key).get(1))) {
                    changed.add(key);
                }
            }
        }
    }

    /** NONE until the brand publishes promotions; then the ones of this SKU the dealer's regions are in. */
    private PromotionCalendar promotionsSeenBy(String dealerId, String sku) {
        if (promotionVersions.isEmpty()) {
            return PromotionCalendar.NONE;
        }
        DealerUpserted dealer = dealers.get(dealerId);
        return PlannedPromotions.of(sku, promotionsBySku.getOrDefault(sku, List.of()),
                dealer == null ? List.of() : dealer.getAuthorizedRegionCodes());
    }

    private String categoryOf(String sku) {
        String category = categoryBySku.get(sku);
        if (category == null && !categoryBySku.containsKey(sku)) {
            ProductUpserted product = products.get(sku);
            category = product == null ? null : product.getCategory().name();
            categoryBySku.put(sku, category);
        }
        return category;
    }

    private SeasonalityIndex seasonalityOf(String category) {
        if (category == null) {
            return SeasonalityIndex.flat();
        }
        return seasonalityByCategory.computeIfAbsent(category, this::readSeasonality);
    }

    private SeasonalityIndex readSeasonality(String category) {
        CategorySeasonality known = seasonality.get(category);
        if (known == null) {
            return SeasonalityIndex.flat();
        }
        return SeasonalityIndex.of(known.getWeekOfYearIndex().stream().mapToDouble(Double::doubleValue).toArray(),
                known.getWeeksOfHistory());
    }

    private static void add(KeyValueStore<String, Long> store, String key, long units) {
        Long current = store.get(key);
        store.put(key, (current == null ? 0 : current) + units);
    }

}
