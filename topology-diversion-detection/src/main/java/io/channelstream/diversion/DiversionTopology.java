package io.channelstream.diversion;

import io.channelstream.events.Alert;
import io.channelstream.events.CodeBinding;
import io.channelstream.events.CodeTrail;
import io.channelstream.events.DealerAuthorizationHistory;
import io.channelstream.events.DealerDiversionScore;
import io.channelstream.events.LocationUpserted;
import io.channelstream.events.OutOfRegionSighting;
import io.channelstream.events.RegionalPriceHistory;
import io.channelstream.events.ScanRecorded;
import io.channelstream.events.TransferProgress;
import io.channelstream.regions.RegionTree;
import io.channelstream.schemas.AvroSerde;
import io.channelstream.schemas.EventSerdes;
import io.channelstream.schemas.Topic;
import io.channelstream.schemas.Topics;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.Stores;

/**
 * Diversion detection: codes are bound where their shipment went, scans are judged against that binding,
 * and the evidence is weighed per source dealer. The topology in one sentence per step:
 *
 * <ol>
 *   <li>master data (dealers' authorizations with their history, regional prices, locations) is kept in
 *       global stores, so any partition can judge without another hop;</li>
 *   <li>a dispatched shipment binds each of its codes, and an approved transfer rebinds the codes it moved,
 *       one record per code re-keyed to the code's partition;</li>
 *   <li>a scan is checked (readable code, a place in the region tree) and judged on its code's partition,
 *       where the binding, the recent sightings and the scans held for a late binding live together, and where
 *       a held scan's wait ends once the bindings reaching the task have passed it (the bindings watermark);</li>
 *   <li>out-of-region evidence moves to the source dealer's partition, where consumer scans cluster,
 *       confirmed diversions count into the dealer's windowed score, and a high score escalates;</li>
 *   <li>orders and till sales are checked against the dealer's regions and the regional floor price;</li>
 *   <li>every alert goes to the alerts topic keyed by its condition.</li>
 * </ol>
 *
 * <p>Partitioning: scans are keyed by code; bindings are re-keyed by code through repartition topics with
 * exactly the scans topic's partition count, so a code's scans and bindings meet in one task and one store.
 * Dealer scores need every code of a dealer in one place, hence one more repartition, by dealer, carrying
 * only out-of-region evidence (a small fraction of the scans).
 */
public final class DiversionTopology {

    /** {@link CodeTrail} by code: bindings, recent sightings (held ones included), conditions raised. */
    public static final String CODE_TRAILS_STORE = "diversion-code-trails";
    /**
     * {@code <zero-padded deadline millis>|<code>} → code: when an unbound code turns into an unknown-code alert,
     * or a bound code's held receipts stop waiting for the shipment that would explain them.
     */
    public static final String UNBOUND_DEADLINES_STORE = "diversion-unbound-deadlines";
    /**
     * The bindings watermark of each code task: under {@link #BINDINGS_WATERMARK_KEY}, how far the shipments reaching
     * the task have got (epoch millis): the least, over the shipments partitions that fed the task, of the latest
     * shipment binding time from each (kept under {@code bindings|<partition>}). Held scans are judged once it passes
     * their time plus the wait.
     */
    public static final String BINDINGS_WATERMARK_STORE = "diversion-bindings-watermark";
    static final String BINDINGS_WATERMARK_KEY = "bindings";
    /**
     * {@code <zero-padded wall-clock millis>|<code>} → code: when a scan's out-of-region verdict, held back to
     * settle ({@link DiversionConfig#outOfRegionSettle()}), is given.
     */
    public static final String SETTLING_SCANS_STORE = "diversion-settling-scans";
    /** {@link TransferProgress} by transferId. */
    public static final String TRANSFERS_STORE = "diversion-transfers";
    /** {@link DealerDiversionScore} by dealerId. */
    public static final String DEALER_SCORES_STORE = "diversion-dealer-scores";
    /** Global: {@link DealerAuthorizationHistory} by dealerId. */
    public static final String DEALER_AUTHORIZATIONS_STORE = "diversion-dealer-authorizations";
    /** Global: {@link RegionalPriceHistory} by {@code sku|regionCode}. */
    public static final String REGIONAL_PRICES_STORE = "diversion-regional-prices";
    /** Global: {@link LocationUpserted} by locationId. */
    public static final String LOCATIONS_STORE = "diversion-locations";

    /** Names of the internal topics (prefixed by Kafka Streams with the application id). */
    static final String CODE_BINDINGS_REPARTITION = "code-bindings";
    static final String TRANSFERRED_CODES_REPARTITION = "transferred-codes";
    static final String MOVED_CONTENTS_REPARTITION = "moved-contents";
    static final String SCANS_BY_CODE_REPARTITION = "scans-by-code";
    static final String SIGHTINGS_BY_DEALER_REPARTITION = "sightings-by-dealer";

    private DiversionTopology() {
    }

    /**
     * Kafka Streams settings this topology runs with, laid over the project's ({@code StreamsSettings}) by whoever
     * runs it. {@code max.task.idle.ms = -1}: the judging task reads five partitions (scans, re-keyed scans, and
     * three binding repartition topics that are empty nearly all the time), and with idling enabled Kafka Streams
     * 4.2.1 formats a log line with {@code String.format} for every empty partition on every record, logged or not:
     * a quarter of the stream thread's time on the profile. What idling would buy, waiting for a lagging binding
     * partition to be fetched, the judge does not rely on: bindings lagging scans are what the bindings watermark,
     * the held receipts and the out-of-region settle are for (docs/diversion.md).
     *
     * <p>The producer sends what it has every {@link #PRODUCER_LINGER_MS} instead of holding a whole commit interval
     * ({@code StreamsSettings}' default for every topology): each scan rewrites its code's trail, so a commit interval
     * of changelog records (about half a megabyte at 10,000 scans/s) otherwise goes out only when the commit flushes,
     * and the stream thread sat idle in that flush while the broker appended it. Sent while the thread judges the
     * next scans, the broker's work overlaps the judging (two cores, broker on the same machine), and the flush waits
     * for the last batch only. Nothing is readable before the commit either way (exactly-once), so no reader waits
     * longer. Measured in docs/benchmarks.md (diversion, 2026-12-03).
     */
    public static Map<String, Object> streamsOverrides() {
        return Map.of(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, -1L,
                StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), PRODUCER_LINGER_MS);
    }

    /** How long the topology's producer lets a batch fill before sending it: a fifth of the 100 ms commit interval. */
    static final int PRODUCER_LINGER_MS = 20;

    /** The topology with the default thresholds. */
    public static Topology build(EventSerdes serdes) {
        return build(DiversionConfig.defaults(), serdes);
    }

    public static Topology build(DiversionConfig config, EventSerdes serdes) {
        return build(config, serdes, RegionTree.china());
    }

    public static Topology build(DiversionConfig config, EventSerdes serdes, RegionTree regions) {
        return new DiversionTopology.Builder(config, serdes, regions, true).build();
    }

    /**
     * The topology with its keyed stores in memory (still changelogged) instead of RocksDB: for replays of
     * the simulator's traffic through {@code TopologyTestDriver}, which commits, and so flushes every RocksDB
     * store, after each record.
     */
    static Topology buildInMemory(DiversionConfig config, EventSerdes serdes) {
        return new DiversionTopology.Builder(config, serdes, RegionTree.china(), false).build();
    }

    /** The key of a regional price: {@code sku|regionCode}, as on master.regional-prices. */
    public static String priceKey(String sku, String regionCode) {
        return Topics.key(sku, regionCode);
    }

    private static final class Builder {
        private final DiversionConfig config;
        private final EventSerdes serdes;
        private final RegionTree regions;
        private final boolean persistentStores;
        private final StreamsBuilder builder = new StreamsBuilder();
        private final Serde<CodeBinding> bindingSerde;
        private final Serde<OutOfRegionSighting> sightingSerde;

        Builder(DiversionConfig config, EventSerdes serdes, RegionTree regions, boolean persistentStores) {
            this.config = config;
            this.persistentStores = persistentStores;
            this.serdes = serdes;
            this.regions = regions;
            // internal topics and changelogs: their subjects derive from the application id, so nobody can
            // register them ahead of time; the serde registers on first use
            this.bindingSerde = internal(CodeBinding.class);
            this.sightingSerde = internal(OutOfRegionSighting.class);
        }

        Topology build() {
            keepMasterData();
            addCodeStores();
            KStream<String, CodeBinding> bindings = bindShipmentCodes().merge(rebindTransferredCodes(),
                    Named.as("bindings-and-rebindings"));
            KStream<String, SpecificRecord> judged = judgeScans(scansByCode())
                    .merge(applyBindings(bindings), Named.as("code-findings"));
            Findings findings = Findings.of(judged, "code-finding-");
            // a container moved without listing its contents: they follow it, on their own partitions
            KStream<String, CodeBinding> movedContents = findings.movedContents.repartition(
                    Repartitioned.with(Serdes.String(), bindingSerde)
                            .withName(MOVED_CONTENTS_REPARTITION)
                            .withNumberOfPartitions(Topics.SCANS.partitions()));
            Findings fromContents = Findings.of(applyBindings(movedContents, "move-contents-along"),
                    "content-finding-");
            KStream<String, Alert> alerts = findings.alerts
                    .merge(fromContents.alerts, Named.as("code-alerts"))
                    .merge(scoreDealers(findings.sightings.merge(fromContents.sightings,
                            Named.as("out-of-region-sightings"))), Named.as("code-and-dealer-alerts"))
                    .merge(checkOrders(), Named.as("with-order-alerts"))
                    .merge(checkSalePrices(), Named.as("with-sale-alerts"));
            alerts.to(Topics.ALERTS.name(), Produced.with(Serdes.String(), serdes.value(Topics.ALERTS))
                    .withName("publish-alert"));
            return builder.build();
        }

        private void keepMasterData() {
            builder.addGlobalStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(LOCATIONS_STORE),
                                    Serdes.String(), LocalAvroSerde.of(LocationUpserted.class)).withLoggingDisabled(),
                    Topics.LOCATIONS.name(), consumed(Topics.LOCATIONS, "master-locations"),
                    MasterDataStores.KeepLocation::new);
            builder.addGlobalStore(Stores.keyValueStoreBuilder(
                                    Stores.inMemoryKeyValueStore(DEALER_AUTHORIZATIONS_STORE), Serdes.String(),
                                    LocalAvroSerde.of(DealerAuthorizationHistory.class)).withLoggingDisabled(),
                    Topics.DEALERS.name(), consumed(Topics.DEALERS, "master-dealers"),
                    MasterDataStores.RecordDealerAuthorization::new);
            builder.addGlobalStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(REGIONAL_PRICES_STORE),
                                    Serdes.String(), LocalAvroSerde.of(RegionalPriceHistory.class)).withLoggingDisabled(),
                    Topics.REGIONAL_PRICES.name(), consumed(Topics.REGIONAL_PRICES, "master-regional-prices"),
                    MasterDataStores.RecordRegionalPrice::new);
        }

        private void addCodeStores() {
            builder.addStateStore(Stores.keyValueStoreBuilder(keyed(CODE_TRAILS_STORE),
                    Serdes.String(), new CodeTrailStoreSerde(internal(CodeTrail.class).deserializer())));
            builder.addStateStore(Stores.keyValueStoreBuilder(keyed(UNBOUND_DEADLINES_STORE), Serdes.String(),
                    Serdes.String()));
            builder.addStateStore(Stores.keyValueStoreBuilder(keyed(BINDINGS_WATERMARK_STORE), Serdes.String(),
                    Serdes.Long()));
            builder.addStateStore(Stores.keyValueStoreBuilder(keyed(SETTLING_SCANS_STORE), Serdes.String(),
                    Serdes.String()));
            builder.addStateStore(Stores.keyValueStoreBuilder(keyed(TRANSFERS_STORE),
                    Serdes.String(), internal(TransferProgress.class)));
            builder.addStateStore(Stores.keyValueStoreBuilder(keyed(DEALER_SCORES_STORE),
                    Serdes.String(), internal(DealerDiversionScore.class)));
        }

        private KeyValueBytesStoreSupplier keyed(String name) {
            return persistentStores ? Stores.persistentKeyValueStore(name) : Stores.inMemoryKeyValueStore(name);
        }

        private KStream<String, CodeBinding> bindShipmentCodes() {
            return builder.stream(Topics.SHIPMENTS.name(), consumed(Topics.SHIPMENTS, "shipments"))
                    .process(() -> new BindShipmentCodes(regions), Named.as("bind-shipment-codes"))
                    .repartition(byCode(CODE_BINDINGS_REPARTITION));
        }

        private KStream<String, CodeBinding> rebindTransferredCodes() {
            return builder.stream(Topics.TRANSFERS.name(), consumed(Topics.TRANSFERS, "transfers"))
                    .process(() -> new TrackTransfers(regions), Named.as("rebind-approved-transfers"), TRANSFERS_STORE)
                    .repartition(byCode(TRANSFERRED_CODES_REPARTITION));
        }

        /** Scans checked, then on their code's partition (re-keyed only when a producer keyed them otherwise). */
        private KStream<String, ScanRecorded> scansByCode() {
            Map<String, KStream<String, ScanRecorded>> byKey = builder
                    .stream(Topics.SCANS.name(), consumed(Topics.SCANS, "scans"))
                    .split(Named.as("scan-"))
                    .branch((key, scan) -> scan != null && scan.getCode().strip().equals(key),
                            Branched.as("keyed-by-code"))
                    .defaultBranch(Branched.as("keyed-otherwise"));
            KStream<String, ScanRecorded> rekeyed = byKey.get("scan-keyed-otherwise")
                    .processValues(() -> new CheckScan(regions), Named.as("check-scan"))
                    .selectKey((key, scan) -> scan.getCode().strip(), Named.as("key-scan-by-code"))
                    .repartition(Repartitioned.with(Serdes.String(), serdes.value(Topics.SCANS))
                            .withName(SCANS_BY_CODE_REPARTITION)
                            .withNumberOfPartitions(Topics.SCANS.partitions()));
            // a scan already on its code's partition goes straight to the judge, which checks it itself
            return byKey.get("scan-keyed-by-code").merge(rekeyed, Named.as("scans-by-code"));
        }

        private KStream<String, SpecificRecord> judgeScans(KStream<String, ScanRecorded> scans) {
            return scans.process(() -> new JudgeScan(config, regions), Named.as("judge-scan"),
                    CODE_TRAILS_STORE, UNBOUND_DEADLINES_STORE, BINDINGS_WATERMARK_STORE,
                    SETTLING_SCANS_STORE);
        }

        private KStream<String, SpecificRecord> applyBindings(KStream<String, CodeBinding> bindings) {
            return applyBindings(bindings, "bind-code");
        }

        private KStream<String, SpecificRecord> applyBindings(KStream<String, CodeBinding> bindings, String name) {
            return bindings.process(() -> new ApplyCodeBinding(config, regions), Named.as(name),
                    CODE_TRAILS_STORE, UNBOUND_DEADLINES_STORE, BINDINGS_WATERMARK_STORE,
                    SETTLING_SCANS_STORE);
        }

        private KStream<String, Alert> scoreDealers(KStream<String, OutOfRegionSighting> sightings) {
            return sightings
                    .repartition(Repartitioned.with(Serdes.String(), sightingSerde)
                            .withName(SIGHTINGS_BY_DEALER_REPARTITION)
                            .withNumberOfPartitions(Topics.FACT_PARTITIONS))
                    .process(() -> new ScoreDealer(config), Named.as("score-dealer"), DEALER_SCORES_STORE);
        }

        private KStream<String, Alert> checkOrders() {
            return builder.stream(Topics.ORDERS.name(), consumed(Topics.ORDERS, "orders"))
                    .process(() -> new CheckOrder(regions), Named.as("check-order"));
        }

        private KStream<String, Alert> checkSalePrices() {
            return builder.stream(Topics.STOCK_MOVEMENTS.name(), consumed(Topics.STOCK_MOVEMENTS, "stock-movements"))
                    .filter(CheckSalePrice::isPricedSale, Named.as("priced-sales"))
                    .process(() -> new CheckSalePrice(regions), Named.as("check-sale-price"));
        }

        private Repartitioned<String, CodeBinding> byCode(String name) {
            return Repartitioned.with(Serdes.String(), bindingSerde)
                    .withName(name)
                    .withNumberOfPartitions(Topics.SCANS.partitions());
        }

        private <V extends SpecificRecord> Consumed<String, V> consumed(Topic<V> topic, String name) {
            return Consumed.with(Serdes.String(), serdes.value(topic)).withName(name);
        }

        private <V extends SpecificRecord> Serde<V> internal(Class<V> type) {
            return new AvroSerde<>(serdes.registry(), type, true);
        }
    }

    /** What the code partition found, split by kind: alerts, evidence for the dealer, contents to move. */
    private record Findings(KStream<String, Alert> alerts, KStream<String, OutOfRegionSighting> sightings,
                            KStream<String, CodeBinding> movedContents) {

        static Findings of(KStream<String, SpecificRecord> findings, String prefix) {
            Map<String, KStream<String, SpecificRecord>> byKind = findings.split(Named.as(prefix))
                    .branch((key, value) -> value instanceof Alert, Branched.as("alert"))
                    .branch((key, value) -> value instanceof OutOfRegionSighting, Branched.as("sighting"))
                    .defaultBranch(Branched.as("moved-contents"));
            return new Findings(
                    byKind.get(prefix + "alert").mapValues(value -> (Alert) value, Named.as(prefix + "as-alert")),
                    byKind.get(prefix + "sighting").mapValues(value -> (OutOfRegionSighting) value,
                            Named.as(prefix + "as-sighting")),
                    byKind.get(prefix + "moved-contents").mapValues(value -> (CodeBinding) value,
                            Named.as(prefix + "as-binding")));
        }
    }
}
