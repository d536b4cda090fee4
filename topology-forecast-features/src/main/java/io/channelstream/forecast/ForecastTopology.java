package io.channelstream.forecast;

import io.channelstream.events.Alert;
import io.channelstream.events.CategorySeasonality;
import io.channelstream.events.DemandFeatures;
import io.channelstream.events.InventoryPosition;
import io.channelstream.events.MovementKind;
import io.channelstream.events.OrderSuggestion;
import io.channelstream.events.StockMovementRecorded;
import io.channelstream.schemas.EventSerdes;
import io.channelstream.schemas.Topic;
import io.channelstream.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

/**
 * Sales features and order suggestions, read aloud: orders and store sales become weekly demand per
 * dealer × SKU and per region × SKU (counted in the week they happened, China Standard Time, while
 * the week is open plus its grace; later ones are reported as late); orders also feed co-purchase
 * counts and the units in transit to their dealer; stock positions give each dealer its available
 * stock; from these and the brand's planned promotions, each dealer × SKU keeps its features and an order
 * suggestion (planned promotion weeks forecast at the series' lift), and each category
 * its seasonality, which warns 60 days ahead of a seasonal rise.
 */
public final class ForecastTopology {

    public static final String SOURCE = "topology-forecast-features";

    // Read facade: query these through ForecastReads.
    /**
     * The last published DemandFeatures and OrderSuggestion of a {@code dealerId|sku}, in one record
     * ({@link PublishedOutlookSerde}). Until the build of 2026-12-03 they were two stores,
     * {@code forecast-features-store} and {@code forecast-suggestions-store} (docs/forecast.md, "Store formats").
     */
    public static final String PUBLISHED_STORE = "forecast-published-store";
    /** Weekly tallies by {@code dealerId|sku}, window start = week start. */
    public static final String WEEKLY_DEMAND_STORE = "forecast-weekly-demand-store";
    /** Weekly tallies by {@code regionCode|sku}. */
    public static final String REGIONAL_WEEKLY_DEMAND_STORE = "forecast-regional-weekly-demand-store";
    /**
     * Baskets of the counted orders by {@code yyyy-MM-dd|orderId}, per partition of orders, with their exact
     * co-purchase counts in memory ({@link CoPurchaseStore}; queried with {@link CoPurchaseStore.WindowQuery}).
     */
    public static final String CO_PURCHASE_STORE = "forecast-co-purchase-store";

    // Working state.
    static final String ORDERS_STORE = "forecast-orders-store";
    static final String ORDERS_BY_TIME_STORE = "forecast-orders-by-time-store";
    static final String BATCH_AVAILABLE_STORE = "forecast-batch-available-store";
    /** Units in transit and available per {@code dealerId|sku}; one record for every key the dealer step holds. */
    static final String LIVE_STORE = "forecast-live-store";
    static final String CATEGORY_CHANGES_STORE = "forecast-category-changes-store";
    static final String CATEGORY_WEEKLY_DEMAND_STORE = "forecast-category-weekly-demand-store";
    static final String SEASONAL_ALERTS_STORE = "forecast-seasonal-alerts-store";
    // Global: every task reads them whole.
    static final String PRODUCTS_STORE = "forecast-products-global";
    static final String LOCATIONS_STORE = "forecast-locations-global";
    static final String SEASONALITY_STORE = "forecast-seasonality-global";
    /** PromotionPlanned by {@code sku|promotionId}: the brand's promotion calendar. */
    static final String PROMOTIONS_STORE = "forecast-promotions-global";
    /** DealerUpserted by dealerId: which regions a dealer is in, for regional promotions. */
    static final String DEALERS_STORE = "forecast-dealers-global";

    private ForecastTopology() {
    }

    public static Topology build(EventSerdes serdes) {
        return build(ForecastConfig.DEFAULT, serdes);
    }

    public static Topology build(ForecastConfig config, EventSerdes serdes) {
        StreamsBuilder builder = new StreamsBuilder();
        readMasterDataAndSeasonality(builder, serdes);

        KStream<String, StockMovementRecorded> movements = builder.stream(Topics.STOCK_MOVEMENTS.name(),
                Consumed.with(Serdes.String(), serdes.value(Topics.STOCK_MOVEMENTS)).withName("stock-movements"));
        KStream<String, Signal> signals = ordersBecomeDemandAndInTransit(builder, config, serdes, movements)
                .merge(salesBecomeSellOut(config, movements), Named.as("with-sales"))
                .merge(positionsBecomeAvailableStock(builder, serdes), Named.as("with-stock"));

        Map<String, KStream<String, Signal>> routed = signals.split(Named.as("route-"))
                .branch((key, signal) -> signal instanceof Signal.Late, Branched.as("late"))
                .branch((key, signal) -> signal instanceof Signal.ForRegion, Branched.as("regional"))
                .defaultBranch(Branched.as("dealer"));

        reportLateFacts(routed.get("route-late"), serdes);
        keepRegionalDemand(builder, routed.get("route-regional"), config);
        PublishedSerdes published = PublishedSerdes.of(serdes);
        KStream<String, Object> dealerOutputs = keepDealerDemand(builder, routed.get("route-dealer"), config, published);
        publishFeaturesAndSuggestions(dealerOutputs, published);
        keepCategorySeasonality(builder, dealerOutputs, config, serdes);
        return builder.build();
    }

    /**
     * Products (category), locations (dealer, region), dealers (regions), the brand's planned promotions and
     * the categories' seasonality, whole on every task.
     */
    private static void readMasterDataAndSeasonality(StreamsBuilder builder, EventSerdes serdes) {
        globalLatest(builder, serdes, Topics.PRODUCTS, PRODUCTS_STORE);
        globalLatest(builder, serdes, Topics.LOCATIONS, LOCATIONS_STORE);
        globalLatest(builder, serdes, Topics.DEALERS, DEALERS_STORE);
        globalLatest(builder, serdes, Topics.PROMOTIONS, PROMOTIONS_STORE);
        globalLatest(builder, serdes, Topics.CATEGORY_SEASONALITY, SEASONALITY_STORE);
    }

    private static <V extends SpecificRecord> void globalLatest(StreamsBuilder builder, EventSerdes serdes,
                                                                Topic<V> topic, String storeName) {
        builder.addGlobalStore(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(storeName), Serdes.String(),
                        new RememberedValues<>(serdes.value(topic))).withLoggingDisabled(),
                topic.name(),
                Consumed.with(Serdes.String(), serdes.value(topic)).withName("global-" + topic.name()),
                () -> new KeepLatest<V>(storeName));
    }

    /**
     * Orders (and receipts against them, re-keyed by the order they reference so they meet the order
     * in its task) become demand, units in transit and co-purchase counts.
     */
    private static KStream<String, Signal> ordersBecomeDemandAndInTransit(
            StreamsBuilder builder, ForecastConfig config, EventSerdes serdes,
            KStream<String, StockMovementRecorded> movements) {
        builder.addStateStore(keyValue(ORDERS_STORE, OrderMemory.CODEC));
        builder.addStateStore(keyValue(ORDERS_BY_TIME_STORE, Serdes.Long()));
        builder.addStateStore(CoPurchaseStore.builder(CO_PURCHASE_STORE));

        KStream<String, SpecificRecord> orders = builder.stream(Topics.ORDERS.name(),
                        Consumed.with(Serdes.String(), serdes.value(Topics.ORDERS)).withName("orders"))
                .mapValues(order -> (SpecificRecord) order, Named.as("order-as-fact"));
        KStream<String, SpecificRecord> receiptsByOrder = movements
                .filter((location, movement) -> isReceiptOfADocument(movement), Named.as("receipts-of-documents"))
                .selectKey((location, receipt) -> receipt.getReference(), Named.as("key-receipt-by-order"))
                .repartition(Repartitioned.with(Serdes.String(), serdes.value(Topics.STOCK_MOVEMENTS))
                        .withName("receipts-by-order")
                        .withNumberOfPartitions(Topics.ORDERS.partitions()))
                .mapValues(receipt -> (SpecificRecord) receipt, Named.as("receipt-as-fact"));
        return orders.merge(receiptsByOrder, Named.as("orders-and-their-receipts"))
                .process(() -> new TrackOrders(config), Named.as("track-orders"), ORDERS_STORE, ORDERS_BY_TIME_STORE,
                        CO_PURCHASE_STORE);
    }

    private static boolean isReceiptOfADocument(StockMovementRecorded movement) {
        return movement != null && movement.getKind() == MovementKind.RECEIPT && movement.getReference() != null
                && !movement.getReference().isBlank();
    }

    /** Store sales become sell-out demand of the dealer operating the store, and of its region. */
    private static KStream<String, Signal> salesBecomeSellOut(ForecastConfig config,
                                                             KStream<String, StockMovementRecorded> movements) {
        return movements.process(() -> new AttributeSales(config), Named.as("attribute-sales"));
    }

    /** Batch positions at a dealer's locations become the dealer's available stock per SKU. */
    private static KStream<String, Signal> positionsBecomeAvailableStock(StreamsBuilder builder, EventSerdes serdes) {
        builder.addStateStore(keyValue(BATCH_AVAILABLE_STORE, Serdes.String()));
        KStream<String, InventoryPosition> positions = builder.stream(Topics.INVENTORY_POSITIONS.name(),
                Consumed.with(Serdes.String(), serdes.value(Topics.INVENTORY_POSITIONS)).withName("inventory-positions"));
        return positions.process(AttributeStockToDealers::new, Named.as("attribute-stock-to-dealers"),
                BATCH_AVAILABLE_STORE);
    }

    private static void reportLateFacts(KStream<String, Signal> late, EventSerdes serdes) {
        late.mapValues(signal -> ((Signal.Late) signal).event(), Named.as("late-event"))
                .to(Topics.LATE_EVENTS.name(), Produced.with(Serdes.String(), serdes.value(Topics.LATE_EVENTS))
                        .withName("publish-late-events"));
    }

    private static void keepRegionalDemand(StreamsBuilder builder, KStream<String, Signal> regional,
                                           ForecastConfig config) {
        // not cached: within a commit few orders touch the same region × SKU, so a cache saved few writes and cost
        // more than it saved (a sorted map of byte keys searched for every line)
        builder.addStateStore(weekly(REGIONAL_WEEKLY_DEMAND_STORE, config));
        regional.mapValues(signal -> (Signal.ForRegion) signal, Named.as("regional-demand"))
                .repartition(Repartitioned.with(Serdes.String(), SignalSerdes.FOR_REGION)
                        .withName("regional-demand-by-region")
                        .withNumberOfPartitions(Topics.FACT_PARTITIONS))
                .process(() -> new KeepRegionalDemand(config), Named.as("keep-regional-demand"),
                        REGIONAL_WEEKLY_DEMAND_STORE);
    }

    private static KStream<String, Object> keepDealerDemand(StreamsBuilder builder, KStream<String, Signal> forDealer,
                                                            ForecastConfig config, PublishedSerdes serdes) {
        builder.addStateStore(weekly(WEEKLY_DEMAND_STORE, config));
        builder.addStateStore(keyValue(LIVE_STORE, SignalSerdes.LIVE));
        // no changelog: what it holds is recomputed from the logged stores, and every key a task holds is recomputed
        // when the task starts (KeepDealerDemand.init); a changelog record per publication (~1 KB) was a third of
        // what a publication sends to the broker
        builder.addStateStore(keyValue(PUBLISHED_STORE, serdes.outlooks()).withLoggingDisabled());
        // every order adds to the same few category × week sums: the cache writes each once per commit
        builder.addStateStore(keyValue(CATEGORY_CHANGES_STORE, Serdes.Long()).withCachingEnabled());
        return forDealer.mapValues(signal -> (Signal.ForDealer) signal, Named.as("dealer-signal"))
                .repartition(Repartitioned.with(Serdes.String(), SignalSerdes.FOR_DEALER)
                        .withName("dealer-signals")
                        .withStreamPartitioner(ForecastTopology::dealerPartitions)
                        .withNumberOfPartitions(Topics.FACT_PARTITIONS))
                .process(() -> new KeepDealerDemand(config), Named.as("keep-dealer-demand"),
                        WEEKLY_DEMAND_STORE, LIVE_STORE, PUBLISHED_STORE, CATEGORY_CHANGES_STORE);
    }

    private static void publishFeaturesAndSuggestions(KStream<String, Object> outputs, PublishedSerdes serdes) {
        outputs.filter((key, value) -> value instanceof DemandFeatures, Named.as("features"))
                .mapValues(value -> (DemandFeatures) value, Named.as("as-features"))
                .to(Topics.DEMAND_FEATURES.name(), Produced.with(Serdes.String(), serdes.features())
                        .withName("publish-demand-features"));
        outputs.filter((key, value) -> value instanceof OrderSuggestion, Named.as("suggestions"))
                .mapValues(value -> (OrderSuggestion) value, Named.as("as-suggestion"))
                .to(Topics.ORDER_SUGGESTIONS.name(), Produced.with(Serdes.String(), serdes.suggestions())
                        .withName("publish-order-suggestions"));
    }

    private static void keepCategorySeasonality(StreamsBuilder builder, KStream<String, Object> outputs,
                                                ForecastConfig config, EventSerdes serdes) {
        builder.addStateStore(keyValue(CATEGORY_WEEKLY_DEMAND_STORE, Serdes.Long()));
        builder.addStateStore(keyValue(SEASONAL_ALERTS_STORE, Serdes.String()));
        Map<String, KStream<String, SpecificRecord>> published = outputs
                .filter((category, value) -> value instanceof SignalSerdes.CategoryWeekDelta,
                        Named.as("category-week-changes"))
                .mapValues(value -> (SignalSerdes.CategoryWeekDelta) value, Named.as("as-category-week-change"))
                .repartition(Repartitioned.with(Serdes.String(), SignalSerdes.CATEGORY_WEEK_DELTA)
                        .withName("category-week-changes")
                        .withNumberOfPartitions(Topics.MASTER_DATA_PARTITIONS))
                .process(() -> new KeepCategorySeasonality(config), Named.as("keep-category-seasonality"),
                        CATEGORY_WEEKLY_DEMAND_STORE, SEASONAL_ALERTS_STORE)
                .split(Named.as("seasonal-"))
                .branch((key, value) -> value instanceof CategorySeasonality, Branched.as("index"))
                .defaultBranch(Branched.as("alerts"));
        published.get("seasonal-index").mapValues(value -> (CategorySeasonality) value, Named.as("as-seasonality"))
                .to(Topics.CATEGORY_SEASONALITY.name(), Produced.with(Serdes.String(),
                        serdes.value(Topics.CATEGORY_SEASONALITY)).withName("publish-category-seasonality"));
        published.get("seasonal-alerts").mapValues(value -> (Alert) value, Named.as("as-alert"))
                .to(Topics.ALERTS.name(), Produced.with(Serdes.String(), serdes.value(Topics.ALERTS))
                        .withName("publish-seasonal-alerts"));
    }

    /**
     * The partition of the dealer step that holds a dealer, and so every {@code dealerId|sku} of it: the
     * producer's default partition of the key {@code dealerId} (murmur2 of its UTF-8 bytes). One fact's changes
     * to a dealer travel as one record, so the dealer step is partitioned by dealer, not by dealer × SKU.
     */
    public static int partitionOfDealer(String dealerId, int partitions) {
        return Utils.toPositive(Utils.murmur2(dealerId.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    private static Optional<Set<Integer>> dealerPartitions(String topic, String dealerId, Signal.ForDealer signal,
                                                           int partitions) {
        return Optional.of(Set.of(partitionOfDealer(dealerId, partitions)));
    }

    /**
     * The serdes of the published features and suggestions, shared by their store and their topic so that the
     * bytes of a record are made once ({@link EncodedOnce}), by hand ({@link PublishedAvro}).
     */
    private record PublishedSerdes(Serde<DemandFeatures> features, Serde<OrderSuggestion> suggestions,
                                   PublishedOutlookSerde outlooks) {
        static PublishedSerdes of(EventSerdes serdes) {
            Serde<DemandFeatures> featuresWire = serdes.value(Topics.DEMAND_FEATURES);
            Serde<OrderSuggestion> suggestionsWire = serdes.value(Topics.ORDER_SUGGESTIONS);
            Serde<DemandFeatures> features = new EncodedOnce<>(featuresWire, Topics.DEMAND_FEATURES.name(),
                    PublishedAvro.features(featuresWire.serializer(), Topics.DEMAND_FEATURES.name(),
                            PublishedAvro.DEMAND_FEATURES_FINGERPRINT));
            Serde<OrderSuggestion> suggestions = new EncodedOnce<>(suggestionsWire, Topics.ORDER_SUGGESTIONS.name(),
                    PublishedAvro.suggestions(suggestionsWire.serializer(), Topics.ORDER_SUGGESTIONS.name(),
                            PublishedAvro.ORDER_SUGGESTION_FINGERPRINT));
            return new PublishedSerdes(features, suggestions, new PublishedOutlookSerde(features,
                    Topics.DEMAND_FEATURES.name(), suggestions, Topics.ORDER_SUGGESTIONS.name()));
        }
    }

    /** The region a code lies in at the configured level: 2 digits = province, 4 = city, 6 = county. */
    static String regionAtLevel(String regionCode, int digits) {
        if (regionCode == null || regionCode.isBlank()) {
            return "unknown";
        }
        return regionCode.length() <= digits ? regionCode : regionCode.substring(0, digits);
    }

    private static <V> StoreBuilder<KeyValueStore<String, V>> keyValue(String name, Serde<V> valueSerde) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), valueSerde);
    }

    static StoreBuilder<WindowStore<String, WeekTally>> weekly(String name, ForecastConfig config) {
        Duration week = Duration.ofDays(7);
        Duration retention = week.multipliedBy(config.historyWeeks() + 2L).plus(config.grace());
        return Stores.windowStoreBuilder(Stores.persistentWindowStore(name, retention, week, false),
                Serdes.String(), WeekTally.CODEC);
    }
}
