package io.channelstream.schemas;

import io.channelstream.events.Alert;
import io.channelstream.events.BatchControlEvent;
import io.channelstream.events.CategorySeasonality;
import io.channelstream.events.DealerUpserted;
import io.channelstream.events.DemandFeatures;
import io.channelstream.events.InventoryPosition;
import io.channelstream.events.LateEvent;
import io.channelstream.events.LocationUpserted;
import io.channelstream.events.OrderEvent;
import io.channelstream.events.OrderReservation;
import io.channelstream.events.OrderSuggestion;
import io.channelstream.events.ProductUpserted;
import io.channelstream.events.PromotionPlanned;
import io.channelstream.events.RegionalPriceUpserted;
import io.channelstream.events.ScanRecorded;
import io.channelstream.events.ShipmentDispatched;
import io.channelstream.events.StockMovementRecorded;
import io.channelstream.events.TraceRecorded;
import io.channelstream.events.TransferEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * The one catalogue of topics: name, key, value type, partitions, cleanup policy, retention. Nobody types a
 * topic name anywhere else.
 */
public final class Topics {

    /** Separator of composite keys, e.g. {@code locationId|sku|batch}. */
    public static final String KEY_SEPARATOR = "|";

    public static final int MASTER_DATA_PARTITIONS = 3;
    public static final int FACT_PARTITIONS = 6;
    /** Facts are replayable for a week; state lives in compacted topics and changelogs. */
    public static final Duration FACT_RETENTION = Duration.ofDays(7);
    /** Long enough for someone to read a dead letter's reason, fix the cause and replay it. */
    public static final Duration DEAD_LETTER_RETENTION = Duration.ofDays(30);

    // Master data: latest state per key, kept forever.
    public static final Topic<ProductUpserted> PRODUCTS =
            masterData("master.products", ProductUpserted.class, "sku");
    public static final Topic<LocationUpserted> LOCATIONS =
            masterData("master.locations", LocationUpserted.class, "locationId");
    public static final Topic<DealerUpserted> DEALERS =
            masterData("master.dealers", DealerUpserted.class, "dealerId");
    public static final Topic<RegionalPriceUpserted> REGIONAL_PRICES =
            masterData("master.regional-prices", RegionalPriceUpserted.class, "sku|regionCode");
    /** Promotions the brand plans ahead (SKU, region, days, mechanism): known before the weeks they lift. */
    public static final Topic<PromotionPlanned> PROMOTIONS =
            masterData("master.promotions", PromotionPlanned.class, "sku|promotionId");

    // Facts: what happened, in order per key.
    public static final Topic<OrderEvent> ORDERS = fact("orders", OrderEvent.class, "orderId");
    public static final Topic<StockMovementRecorded> STOCK_MOVEMENTS =
            fact("stock-movements", StockMovementRecorded.class, "locationId");
    public static final Topic<ShipmentDispatched> SHIPMENTS =
            fact("shipments", ShipmentDispatched.class, "shipmentId");
    public static final Topic<ScanRecorded> SCANS = fact("scans", ScanRecorded.class, "code");
    public static final Topic<TransferEvent> TRANSFERS = fact("transfers", TransferEvent.class, "transferId");
    public static final Topic<BatchControlEvent> BATCH_CONTROL =
            fact("batch-control", BatchControlEvent.class, "sku|batch");
    public static final Topic<TraceRecorded> TRACE_RECORDS =
            fact("trace-records", TraceRecorded.class, "sku|batch");

    // Outputs of the topologies.
    public static final Topic<InventoryPosition> INVENTORY_POSITIONS = topic("inventory-positions",
            InventoryPosition.class, "locationId|sku|batch", FACT_PARTITIONS, CleanupPolicy.COMPACT,
            TopicDefinition.KEEP_FOREVER);
    /** Keyed by conditionKey so the raise and the clear of one condition stay in order on one partition. */
    public static final Topic<Alert> ALERTS = fact("alerts", Alert.class, "conditionKey");
    /** What the inventory topology did with each order's stock (reserved, rejected with shortfall, released, consumed). */
    public static final Topic<OrderReservation> ORDER_RESERVATIONS =
            fact("order-reservations", OrderReservation.class, "orderId");
    /** Weekly sales features per dealer × SKU (topology-forecast-features); the latest per key is what counts. */
    public static final Topic<DemandFeatures> DEMAND_FEATURES = topic("forecast.demand-features",
            DemandFeatures.class, "dealerId|sku", FACT_PARTITIONS, CleanupPolicy.COMPACT, TopicDefinition.KEEP_FOREVER);
    /** Order suggestion per dealer × SKU, with the inputs that produced it. */
    public static final Topic<OrderSuggestion> ORDER_SUGGESTIONS = topic("forecast.order-suggestions",
            OrderSuggestion.class, "dealerId|sku", FACT_PARTITIONS, CleanupPolicy.COMPACT, TopicDefinition.KEEP_FOREVER);
    /** Seasonality per product category; small, read back by every forecast task as a global table. */
    public static final Topic<CategorySeasonality> CATEGORY_SEASONALITY = topic("forecast.category-seasonality",
            CategorySeasonality.class, "category", MASTER_DATA_PARTITIONS, CleanupPolicy.COMPACT,
            TopicDefinition.KEEP_FOREVER);
    /** Orders and sales that arrived after their week closed (week end + grace), with the reason; kept like dead letters. */
    public static final Topic<LateEvent> LATE_EVENTS = topic("forecast.late-events", LateEvent.class,
            "key of the late fact (orderId or locationId)", FACT_PARTITIONS, CleanupPolicy.DELETE, DEAD_LETTER_RETENTION);

    // Not Avro-typed.
    public static final RawTopic DEAD_LETTERS = new RawTopic("dead-letters",
            "key of the failed record, as received",
            "value bytes of the failed record, as received; why, where from and when in the cs.dlq.* headers",
            FACT_PARTITIONS, CleanupPolicy.DELETE, DEAD_LETTER_RETENTION);
    /** The local schema registry's store: one record per subject version; one partition keeps them in order. */
    public static final RawTopic SCHEMAS = new RawTopic("_channelstream-schemas",
            "subject|version",
            "one SchemaStore.Entry, written by the registry endpoint",
            1, CleanupPolicy.COMPACT, TopicDefinition.KEEP_FOREVER);

    private static final List<Topic<?>> ALL = List.of(
            PRODUCTS, LOCATIONS, DEALERS, REGIONAL_PRICES, PROMOTIONS,
            ORDERS, STOCK_MOVEMENTS, SHIPMENTS, SCANS, TRANSFERS, BATCH_CONTROL, TRACE_RECORDS,
            INVENTORY_POSITIONS, ALERTS, ORDER_RESERVATIONS,
            DEMAND_FEATURES, ORDER_SUGGESTIONS, CATEGORY_SEASONALITY, LATE_EVENTS);

    private Topics() {
    }

    /** Every Avro-typed topic. */
    public static List<Topic<?>> all() {
        return ALL;
    }

    /** Every topic the platform creates, typed or not. */
    public static List<TopicDefinition> definitions() {
        List<TopicDefinition> definitions = new ArrayList<>(ALL);
        definitions.add(DEAD_LETTERS);
        definitions.add(SCHEMAS);
        return List.copyOf(definitions);
    }

    /**
     * Joins key parts with {@code |}. A part that itself contains {@code |} would make the key ambiguous, so it
     * is refused.
     */
    public static String key(String... parts) {
        if (parts == null || parts.length == 0) {
            throw new IllegalArgumentException("a key needs at least one part");
        }
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            if (part == null) {
                throw new IllegalArgumentException("key part " + i + " is null");
            }
            if (part.contains(KEY_SEPARATOR)) {
                throw new IllegalArgumentException("key part " + i + " ('" + part + "') contains the separator '"
                        + KEY_SEPARATOR + "'");
            }
        }
        return String.join(KEY_SEPARATOR, parts);
    }

    /** The parts of a composite key, the inverse of {@link #key(String...)}. */
    public static List<String> keyParts(String key) {
        Objects.requireNonNull(key, "key");
        return List.of(key.split("\\|", -1));
    }

    private static <V extends SpecificRecord> Topic<V> masterData(String name, Class<V> valueType, String key) {
        return topic(name, valueType, key, MASTER_DATA_PARTITIONS, CleanupPolicy.COMPACT, TopicDefinition.KEEP_FOREVER);
    }

    private static <V extends SpecificRecord> Topic<V> fact(String name, Class<V> valueType, String key) {
        return topic(name, valueType, key, FACT_PARTITIONS, CleanupPolicy.DELETE, FACT_RETENTION);
    }

    private static <V extends SpecificRecord> Topic<V> topic(String name, Class<V> valueType, String key,
            int partitions, CleanupPolicy cleanupPolicy, Duration retention) {
        // the generated class's SCHEMA$, so catalogue and class can never disagree
        var schema = SpecificData.getForClass(valueType).getSchema(valueType);
        return new Topic<>(name, valueType, schema, key, partitions, cleanupPolicy, retention);
    }
}
