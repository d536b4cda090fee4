package io.channelstream.forecast;

import io.channelstream.events.DemandFeatures;
import io.channelstream.events.OrderSuggestion;
import io.channelstream.forecast.model.BundlePartners;
import io.channelstream.schemas.Topics;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.errors.InvalidStateStorePartitionException;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.query.StateQueryRequest;
import org.apache.kafka.streams.query.StateQueryResult;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Typed reads over the forecast topology's stores. Per dealer × SKU reads (IQv1, see {@link #byKey}) aim at
 * the one partition that owns the key ({@link #ownerOf}); co-purchase counts (an IQv2 query of the
 * {@link CoPurchaseStore}, which never touches RocksDB or its {@code Position}) are spread
 * over every partition (by order), so a co-purchase answer is the sum of every partition's tally
 * ({@link #coPurchaseTally} answers for this instance's active partitions; routing and summing
 * across instances is the caller's job).
 */
public final class ForecastReads {

    /** Why a read was refused: no running active copy of the partition here (a standby may answer). */
    public static final String NOT_ACTIVE = "NOT_ACTIVE";
    /** Why a read was refused: no copy of the partition here at all, not even a standby. */
    public static final String NOT_PRESENT = "NOT_PRESENT";
    /** Why a read was refused: the instance is rebalancing and the store is moving. */
    public static final String REBALANCING = "REBALANCING";
    /** Why a read was refused: the instance is not running (not started, shutting down, failed). */
    public static final String NOT_UP = "NOT_UP";

    private final KafkaStreams streams;

    public ForecastReads(KafkaStreams streams) {
        this.streams = streams;
    }

    /**
     * Which instance (active and standbys) and partition hold a dealer × SKU: the partition of its dealer
     * ({@link ForecastTopology#partitionOfDealer}), not of the whole key.
     */
    public KeyQueryMetadata ownerOf(String dealerId, String sku) {
        return streams.queryMetadataForKey(ForecastTopology.PUBLISHED_STORE, Topics.key(dealerId, sku), BY_DEALER);
    }

    private static final StreamPartitioner<String, Object> BY_DEALER = (topic, dealerSku, value, partitions) ->
            Optional.of(Set.of(ForecastTopology.partitionOfDealer(Topics.keyParts(dealerSku).get(0), partitions)));

    public LocalRead<DemandFeatures> features(String dealerId, String sku, int partition, boolean acceptStandby) {
        return published(dealerId, sku, partition, acceptStandby, DealerSkuOutlook.Outlook::features);
    }

    public LocalRead<OrderSuggestion> suggestion(String dealerId, String sku, int partition, boolean acceptStandby) {
        return published(dealerId, sku, partition, acceptStandby, DealerSkuOutlook.Outlook::suggestion);
    }

    /** Features and suggestion of a key are one store record ({@link ForecastTopology#PUBLISHED_STORE}). */
    private <V> LocalRead<V> published(String dealerId, String sku, int partition, boolean acceptStandby,
                                       Function<DealerSkuOutlook.Outlook, V> part) {
        LocalRead<DealerSkuOutlook.Outlook> read = byKey(ForecastTopology.PUBLISHED_STORE, Topics.key(dealerId, sku),
                partition, acceptStandby);
        if (read instanceof LocalRead.Served<DealerSkuOutlook.Outlook> served) {
            return new LocalRead.Served<>(served.value() == null ? null : part.apply(served.value()),
                    served.fromStandby());
        }
        LocalRead.Unavailable<DealerSkuOutlook.Outlook> unavailable =
                (LocalRead.Unavailable<DealerSkuOutlook.Outlook>) read;
        return new LocalRead.Unavailable<>(unavailable.reason(), unavailable.message());
    }

    /** Every partition of the co-purchase counts, over all instances (what a complete answer must cover). */
    public Set<Integer> coPurchasePartitions() {
        Set<Integer> partitions = new TreeSet<>();
        for (StreamsMetadata instance : streams.streamsMetadataForStore(ForecastTopology.CO_PURCHASE_STORE)) {
            instance.topicPartitions().forEach(tp -> partitions.add(tp.partition()));
        }
        return partitions;
    }

    /** Instances holding active co-purchase partitions, as {@code host:port}, with those partitions. */
    public Map<String, Set<Integer>> coPurchaseOwners() {
        Map<String, Set<Integer>> owners = new HashMap<>();
        for (StreamsMetadata instance : streams.streamsMetadataForStore(ForecastTopology.CO_PURCHASE_STORE)) {
            Set<Integer> partitions = new TreeSet<>();
            instance.topicPartitions().forEach(tp -> partitions.add(tp.partition()));
            owners.put(instance.host() + ":" + instance.port(), partitions);
        }
        return owners;
    }

    /**
     * Co-purchase counts of {@code sku} over the CST days {@code fromDay..toDay}, summed over this
     * instance's active partitions.
     *
     * @param partitions the partitions that answered; a complete answer needs every partition of
     *                   {@link #coPurchasePartitions()} answered by some instance
     */
    public record PartialTally(BundlePartners.Tally tally, Set<Integer> partitions) {}

    public PartialTally coPurchaseTally(String sku, LocalDate fromDay, LocalDate toDay) {
        StateQueryRequest<BundlePartners.Tally> request = StateQueryRequest.inStore(ForecastTopology.CO_PURCHASE_STORE)
                .withQuery(new CoPurchaseStore.WindowQuery(sku, fromDay, toDay))
                .requireActive();
        StateQueryResult<BundlePartners.Tally> result = streams.query(request);
        BundlePartners.Tally total = BundlePartners.Tally.empty();
        Set<Integer> answered = new TreeSet<>();
        for (Map.Entry<Integer, QueryResult<BundlePartners.Tally>> partition : result.getPartitionResults().entrySet()) {
            if (partition.getValue().isSuccess()) {
                total = total.plus(partition.getValue().getResult());
                answered.add(partition.getKey());
            }
        }
        return new PartialTally(total, answered);
    }

    /**
     * One key of one partition's store through IQv1 ({@code ReadOnlyKeyValueStore.get}), which takes only the
     * store's lock: an IQv2 {@code KeyQuery} on a RocksDB store takes its {@code Position} lock and then the
     * store's, the stream thread's {@code put} the other way round, and in Kafka Streams 4.2.1 a read racing a
     * write can deadlock both for good (KAFKA-19629). The active copy first; with {@code acceptStandby}, when
     * there is no running active copy here, a standby or restoring copy, marked as such.
     */
    private <V> LocalRead<V> byKey(String store, String key, int partition, boolean acceptStandby) {
        LocalRead<V> read = readKey(store, key, partition, false);
        if (acceptStandby && read instanceof LocalRead.Unavailable<V> unavailable
                && NOT_ACTIVE.equals(unavailable.reason())) {
            read = readKey(store, key, partition, true);
        }
        return read;
    }

    private <V> LocalRead<V> readKey(String store, String key, int partition, boolean stale) {
        StoreQueryParameters<ReadOnlyKeyValueStore<String, V>> parameters = StoreQueryParameters
                .fromNameAndType(store, QueryableStoreTypes.<String, V>keyValueStore())
                .withPartition(partition);
        if (stale) {
            parameters = parameters.enableStaleStores();
        }
        try {
            return new LocalRead.Served<>(streams.store(parameters).get(key), stale);
        } catch (InvalidStateStorePartitionException notHere) {
            return new LocalRead.Unavailable<>(stale ? NOT_PRESENT : NOT_ACTIVE, "partition " + partition + " of "
                    + store + (stale ? " has no copy" : " has no running active copy") + " on this instance");
        } catch (InvalidStateStoreException notRunning) {
            // migrated, mid-rebalance, or the instance is not up at all
            return new LocalRead.Unavailable<>(streams.state() == KafkaStreams.State.REBALANCING ? REBALANCING
                    : NOT_UP, notRunning.getMessage());
        }
    }
}
