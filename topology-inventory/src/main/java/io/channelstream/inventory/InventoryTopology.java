package io.channelstream.inventory;

import io.channelstream.events.BatchControlEvent;
import io.channelstream.events.BatchLocked;
import io.channelstream.events.InventoryPosition;
import io.channelstream.events.LocationUpserted;
import io.channelstream.events.OrderEvent;
import io.channelstream.events.ProductUpserted;
import io.channelstream.events.ShipmentDispatched;
import io.channelstream.events.StockMovementRecorded;
import io.channelstream.events.TransferEvent;
import io.channelstream.events.TransferState;
import io.channelstream.schemas.AvroSerde;
import io.channelstream.schemas.EventSerdes;
import io.channelstream.schemas.Topic;
import io.channelstream.schemas.Topics;
import java.util.Map;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * Live stock per location × SKU × batch. Everything that changes stock is brought to the location
 * that holds it (stock movements are keyed by location already; orders and shipments are re-keyed),
 * so one task owns all batches of all SKUs of a location: reservation first-expiry-first-out and a
 * location's view are local. Master data and recall locks are global: every task sees them whole.
 *
 * <pre>
 * stock movements                     ─► apply movement ─┐
 * orders ─► route to fulfilling location ─► reserve/release ─┼─► positions, alerts, reservations
 * shipments ─► key by sending location ─► consume shipment ─┤
 * transfers ─► route to source location ─► advance transfer ─┤
 *        (received units) ─► transfer-receipts-by-location ─► apply receipt ─┘
 * </pre>
 */
public final class InventoryTopology {

    /**
     * Stock per {@code locationId|sku}: the positions of all the SKU's batches there and which of its alert
     * conditions are raised, in one record ({@link SkuStock}), so a movement is one read and one write.
     */
    public static final String STOCK_STORE = "inventory-stock-store";
    /**
     * Where each SKU is held, keyed {@code sku|locationId} (value: when the location first held it), kept by the
     * task that owns the location: a SKU's holdings on this task's partitions are one prefix scan of this
     * index and one stock read per location, not a scan of all stock. Written only when a location first
     * holds a SKU, not on every movement.
     */
    public static final String NETWORK_INDEX_STORE = "inventory-sku-locations-store";
    /** Held stock per order by {@code locationId|orderId}. */
    public static final String RESERVATIONS_STORE = "inventory-reservations-store";
    /** The latest outcome per order (what the order's owner asks about), by {@code locationId|orderId}. */
    public static final String ORDER_OUTCOMES_STORE = "inventory-order-outcomes-store";
    /** Fulfilling location per order id (cancellations do not carry it). */
    public static final String ORDER_FULFILMENT_STORE = "inventory-order-fulfilment-store";
    /** Where each transfer stands ({@code TransferState}), by {@code fromLocationId|transferId}: with the source's stock. */
    public static final String TRANSFERS_STORE = "inventory-transfers-store";
    /** Source location per transfer id (only the request names it), for routing the later steps. */
    public static final String TRANSFER_ROUTES_STORE = "inventory-transfer-routes-store";
    /** How fast each SKU sells at each location ({@link SaleRate}), by {@code sku|locationId}: SKU first, like the index. */
    public static final String SALE_RATES_STORE = "inventory-sale-rates-store";
    /** Global: locations by id (region, safety stock, dealer). */
    public static final String LOCATIONS_STORE = "inventory-locations-global";
    /** Global: products by SKU (category, expiry warning). */
    public static final String PRODUCTS_STORE = "inventory-products-global";
    /** Global: recall locks by {@code sku|batch}. */
    public static final String LOCKED_BATCHES_STORE = "inventory-locked-batches-global";

    static final String[] LEDGER_STORES = {STOCK_STORE, RESERVATIONS_STORE, ORDER_OUTCOMES_STORE,
        NETWORK_INDEX_STORE};

    private InventoryTopology() {
    }

    /**
     * Kafka Streams settings this topology runs with over the shared ones ({@code StreamsSettings}).
     *
     * <p>{@code max.task.idle.ms = -1}: a task processes what it has buffered without first making sure its
     * empty inputs have nothing more at the broker. A location's task has three inputs (movements, orders and
     * shipments by location) and two are empty most of the time; with any other value Kafka Streams 4.2.1
     * formats a log message ({@code String.format}) for each empty input on every record, whether or not it is
     * logged: a fifth of the stream thread's time (docs/benchmarks.md). What is given up is the wait, during a
     * catch-up, for an input whose next records are at the broker but not yet fetched, so records of the three
     * inputs may be applied further from event-time order than with the wait. Here that order was never
     * strict: orders and shipments come through repartition topics fed by six upstream tasks each, readable
     * only once those commit. What it decides is who gets stock first when an order and a movement race
     * (never more than is available), and the one case that would leave a wrong state, a shipment applied
     * before its order, is handled by the ledger itself ({@code ConsumeShipment}, {@code ReserveStock}).
     *
     * <p>Producer {@code linger.ms} {@value #PRODUCER_LINGER_MS} instead of a whole commit interval (the project's
     * default, {@code StreamsSettings}): with the default nothing is sent before the commit, so every commit's flush
     * waited for the broker to append all of the interval's positions and changelog records, and for the previous
     * transaction's markers, while the stream thread sat idle. Sent as it goes, the broker appends while the thread
     * applies the next movements. Nothing is readable before the commit either way (exactly-once). Measured in
     * docs/benchmarks.md ("Fourth pass"): the stream thread's waits in flush and commit 8.4 s to 4.8 s per 924,000
     * events, event→queryable p99 1,014 ms to 240 ms in neighbouring loaded runs.
     */
    public static Map<String, Object> streamsOverrides() {
        return Map.of(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, -1L,
                StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), PRODUCER_LINGER_MS);
    }

    /** How long the topology's producer lets a batch fill before sending it: a tenth of the 100 ms commit interval. */
    static final int PRODUCER_LINGER_MS = 10;

    public static Topology build(EventSerdes serdes) {
        return build(InventoryRules.defaults(), serdes);
    }

    public static Topology build(InventoryRules rules, EventSerdes serdes) {
        StreamsBuilder builder = new StreamsBuilder();
        addLedgerStores(builder, serdes);
        addMasterData(builder, serdes);

        KStream<String, StockMovementRecorded> movements = stream(builder, serdes, Topics.STOCK_MOVEMENTS);
        KStream<String, SpecificRecord> fromMovements = movements
                .process(() -> new ApplyStockMovement(rules), Named.as("apply-stock-movement"), LEDGER_STORES);
        keepSaleRates(builder, movements);
        KStream<String, SpecificRecord> fromOrders = ordersByFulfillingLocation(builder, serdes)
                .process(() -> new ReserveStock(rules), Named.as("reserve-or-release-stock"), LEDGER_STORES);
        KStream<String, SpecificRecord> fromShipments = shipmentsBySendingLocation(builder, serdes)
                .process(() -> new ConsumeShipment(rules), Named.as("consume-shipment"), LEDGER_STORES);

        KStream<String, SpecificRecord> fromTransfers = transfersBySourceLocation(builder, serdes)
                .process(() -> new AdvanceTransfer(rules), Named.as("advance-transfer"), TRANSFER_STORES);
        KStream<String, SpecificRecord> fromReceipts = receiveAtDestination(fromTransfers, serdes, rules);

        publish(fromMovements, serdes, "stock-movement-outputs");
        publish(fromOrders, serdes, "reservation-outputs");
        publish(fromShipments, serdes, "shipment-outputs");
        publish(fromTransfers.filterNot(InventoryTopology::isReceipt, Named.as("transfer-outputs")), serdes,
                "transfer-outputs");
        publish(fromReceipts, serdes, "receipt-outputs");
        return builder.build();
    }

    private static KStream<String, OrderEvent> ordersByFulfillingLocation(StreamsBuilder builder, EventSerdes serdes) {
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ORDER_FULFILMENT_STORE),
                Serdes.String(), Serdes.String()));
        return stream(builder, serdes, Topics.ORDERS)
                .process(RouteOrderToLocation::new, Named.as("route-order-to-location"), ORDER_FULFILMENT_STORE)
                .repartition(Repartitioned.with(Serdes.String(), serdes.value(Topics.ORDERS))
                        .withName("orders-by-location")
                        .withNumberOfPartitions(Topics.STOCK_MOVEMENTS.partitions()));
    }

    private static KStream<String, ShipmentDispatched> shipmentsBySendingLocation(StreamsBuilder builder,
                                                                                 EventSerdes serdes) {
        return stream(builder, serdes, Topics.SHIPMENTS)
                .filter((shipmentId, shipment) -> shipment != null, Named.as("skip-shipment-tombstones"))
                .selectKey((shipmentId, shipment) -> shipment.getFromLocationId(), Named.as("key-by-sending-location"))
                .repartition(Repartitioned.with(Serdes.String(), serdes.value(Topics.SHIPMENTS))
                        .withName("shipments-by-location")
                        .withNumberOfPartitions(Topics.STOCK_MOVEMENTS.partitions()));
    }

    /** The ledger's stores and the transfers' state: a transfer's step and its stock move in one task. */
    static final String[] TRANSFER_STORES = java.util.stream.Stream.concat(java.util.Arrays.stream(LEDGER_STORES),
            java.util.stream.Stream.of(TRANSFERS_STORE)).toArray(String[]::new);

    /**
     * Every step of a transfer goes to the task of its source location, which keeps the transfer's state
     * beside the source's stock (see {@link AdvanceTransfer}).
     */
    private static KStream<String, TransferEvent> transfersBySourceLocation(StreamsBuilder builder, EventSerdes serdes) {
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(TRANSFER_ROUTES_STORE),
                Serdes.String(), Serdes.String()));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(TRANSFERS_STORE),
                Serdes.String(), new AvroSerde<>(serdes.registry(), TransferState.class, true)));
        return stream(builder, serdes, Topics.TRANSFERS)
                .process(RouteTransferToSource::new, Named.as("route-transfer-to-source"), TRANSFER_ROUTES_STORE)
                .repartition(Repartitioned.with(Serdes.String(), serdes.value(Topics.TRANSFERS))
                        .withName("transfers-by-source-location")
                        .withNumberOfPartitions(Topics.STOCK_MOVEMENTS.partitions()));
    }

    /**
     * A received transfer's units, judged at the source, enter the destination's stock in the destination's
     * task: carried there by an internal topic of this application (not {@code stock-movements}, which another
     * application reprocessing the same facts would read besides re-deriving them), applied like any movement.
     */
    private static KStream<String, SpecificRecord> receiveAtDestination(KStream<String, SpecificRecord> fromTransfers,
                                                                       EventSerdes serdes, InventoryRules rules) {
        return fromTransfers.filter(InventoryTopology::isReceipt, Named.as("transfer-receipts"))
                .mapValues(value -> (StockMovementRecorded) value, Named.as("as-movements"))
                .repartition(Repartitioned.with(Serdes.String(), serdes.value(Topics.STOCK_MOVEMENTS))
                        .withName("transfer-receipts-by-location")
                        .withNumberOfPartitions(Topics.STOCK_MOVEMENTS.partitions()))
                .process(() -> new ApplyTransferReceipt(rules), Named.as("apply-transfer-receipt"), LEDGER_STORES);
    }

    private static boolean isReceipt(String key, SpecificRecord value) {
        return value instanceof StockMovementRecorded;
    }

    /** Sales per location × SKU, decayed: how fast stock goes, for days of cover (see {@link SaleRate}). */
    private static void keepSaleRates(StreamsBuilder builder, KStream<String, StockMovementRecorded> movements) {
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(SALE_RATES_STORE),
                Serdes.String(), new SaleRateSerde()));
        movements.filter((locationId, movement) -> TrackSaleRate.isSale(movement), Named.as("sales"))
                .process(TrackSaleRate::new, Named.as("track-sale-rate"), SALE_RATES_STORE);
    }

    /**
     * Positions, alerts and reservation outcomes each go to their own topic, straight from the processor that made
     * them (one sink per processor, the topic chosen by the record's type: {@link InventoryOutputs}).
     */
    private static void publish(KStream<String, SpecificRecord> outputs, EventSerdes serdes, String name) {
        outputs.to(InventoryOutputs.TOPIC_BY_TYPE, InventoryOutputs.produced(serdes, name));
    }

    private static void addLedgerStores(StreamsBuilder builder, EventSerdes serdes) {
        // the store keeps stock in a compact format of its own; the topic gets Avro (see StockStoreSerde)
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STOCK_STORE),
                Serdes.String(), new StockStoreSerde()));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(NETWORK_INDEX_STORE),
                Serdes.String(), Serdes.Long()));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(RESERVATIONS_STORE),
                Serdes.String(), serdes.value(Topics.ORDER_RESERVATIONS)));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ORDER_OUTCOMES_STORE),
                Serdes.String(), serdes.value(Topics.ORDER_RESERVATIONS)));
    }

    private static void addMasterData(StreamsBuilder builder, EventSerdes serdes) {
        globalStore(builder, serdes, Topics.LOCATIONS, LOCATIONS_STORE, Function.identity());
        globalStore(builder, serdes, Topics.PRODUCTS, PRODUCTS_STORE, Function.identity());
        // a lock is kept while it holds; a release removes it
        globalStore(builder, serdes, Topics.BATCH_CONTROL, LOCKED_BATCHES_STORE,
                event -> event.getPayload() instanceof BatchLocked ? event : null);
    }

    /**
     * A global store holding the latest value per key of a compacted topic (null removes). In memory, not
     * RocksDB: master data is small (the seed's thousands of locations and products) and read on every
     * movement, and an in-memory store answers a read with the array it holds, which {@link MasterDataSerde}
     * recognises without decoding or hashing it again. A global store is filled from its topic when the
     * instance starts either way (a persistent one from its checkpoint on).
     */
    private static <V extends SpecificRecord, S extends SpecificRecord> void globalStore(
            StreamsBuilder builder, EventSerdes serdes, Topic<V> topic, String storeName, Function<V, S> keep) {
        StoreBuilder<KeyValueStore<String, S>> store = Stores.<String, S>keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(storeName), Serdes.String(),
                new MasterDataSerde<>(cast(serdes.value(topic))))
                .withLoggingDisabled();
        builder.addGlobalStore(store, topic.name(), Consumed.with(Serdes.String(), serdes.value(topic)),
                () -> new Processor<String, V, Void, Void>() {
                    private KeyValueStore<String, S> target;

                    @Override
                    public void init(org.apache.kafka.streams.processor.api.ProcessorContext<Void, Void> context) {
                        target = context.getStateStore(storeName);
                    }

                    @Override
                    public void process(Record<String, V> record) {
                        S kept = record.value() == null ? null : keep.apply(record.value());
                        if (kept == null) {
                            target.delete(record.key());
                        } else {
                            target.put(record.key(), kept);
                        }
                    }
                });
    }

    @SuppressWarnings("unchecked")
    private static <S> Serde<S> cast(Serde<?> serde) {
        return (Serde<S>) serde;
    }

    private static <V extends SpecificRecord> KStream<String, V> stream(StreamsBuilder builder, EventSerdes serdes,
                                                                        Topic<V> topic) {
        return builder.stream(topic.name(), Consumed.with(Serdes.String(), serdes.value(topic)).withName(topic.name()));
    }

    /** The key of one batch's position on the {@code inventory-positions} topic. */
    public static String positionKey(String locationId, String sku, String batch) {
        return Topics.key(locationId, sku, batch);
    }

    /** The stock store key of one SKU at one location. */
    public static String stockKey(String locationId, String sku) {
        return Topics.key(locationId, sku);
    }

    /** The network index key of a SKU held at a location: SKU first, so a SKU is one prefix. */
    public static String networkKey(String sku, String locationId) {
        return Topics.key(sku, locationId);
    }

    public static String reservationKey(String locationId, String orderId) {
        return Topics.key(locationId, orderId);
    }

    public static String batchKey(String sku, String batch) {
        return Topics.key(sku, batch);
    }

    /** The state store key of a transfer: its source location first, the partition's owner. */
    public static String transferKey(String fromLocationId, String transferId) {
        return Topics.key(fromLocationId, transferId);
    }

    /** The sale-rate store key: SKU first, so a SKU's rates on a partition are one prefix. */
    public static String saleRateKey(String sku, String locationId) {
        return Topics.key(sku, locationId);
    }

    /**
     * The position of a batch never held here. Built with the all-fields constructor, not a builder: a builder
     * resolves each field's default from the schema, which was 2-3 % of the stream thread while batches were first
     * received (JFR, docs/benchmarks.md).
     */
    static InventoryPosition emptyPosition(String locationId, String sku, String batch) {
        return new InventoryPosition("", java.time.Instant.EPOCH, "topology-inventory", locationId, sku, batch,
                0L, 0L, 0L, 0L, null, null, null);
    }
}
