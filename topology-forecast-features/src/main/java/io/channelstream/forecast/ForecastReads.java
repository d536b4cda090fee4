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
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.query.KeyQuery;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.query.StateQueryRequest;
import org.apache.kafka.streams.query.StateQueryResult;

/**
 * Typed reads over the forecast topology's stores through Interactive Queries v2. Per dealer × SKU
 * reads aim at the one partition that owns the key ({@link #ownerOf}); co-purchase counts are spread
 * over every partition (by order), so a co-purchase answer is the sum of every partition's tally
 * ({@link #coPurchaseTally} answers for this instance's active partitions; routing and summing
 * across instances is the caller's job).
 */
public final class ForecastReads {

    private final KafkaStreams streams;

    public ForecastReads(KafkaStreams streams) {
        this.streams = streams;
    }

    /**
     * Which instance (active and standbys) and partition hold a dealer × SKU: the partition of its dealer
     * ({@link ForecastTopology#partitionOfDealer}), not of the whole key.
     */
    public KeyQueryMetadata ownerOf(String dealerId, String sku) {
        return streams.queryMetadataForKey(ForecastTopology.FEATURES_STORE, Topics.key(dealerId, sku), BY_DEALER);
    }

    private static final StreamPartitioner<String, Object> BY_DEALER = (topic, dealerSku, value, partitions) ->
            Optional.of(Set.of(ForecastTopology.partitionOfDealer(Topics.keyParts(dealerSku).get(0), partitions)));

    public LocalRead<DemandFeatures> features(String dealerId, String sku, int partition, boolean acceptStandby) {
        return byKey(ForecastTopology.FEATURES_STORE, Topics.key(dealerId, sku), partition, acceptStandby);
    }

    public LocalRead<OrderSuggestion> suggestion(String dealerId, String sku, int partition, boolean acceptStandby) {
        return byKey(ForecastTopology.SUGGESTIONS_STORE, Topics.key(dealerId, sku), partition, acceptStandby);
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

    private <V> LocalRead<V> byKey(String store, String key, int partition, boolean acceptStandby) {
        LocalRead<V> read = byKey(store, key, partition, true, false);
        if (acceptStandby && read instanceof LocalRead.Unavailable<V> unavailable
                && "NOT_ACTIVE".equals(unavailable.reason())) {
            read = byKey(store, key, partition, false, true);
        }
        return read;
    }

    private <V> LocalRead<V> byKey(String store, String key, int partition, boolean requireActive,
                                   boolean fromStandby) {
        StateQueryRequest<V> request = StateQueryRequest.inStore(store)
                .withQuery(KeyQuery.<String, V>withKey(key))
                .withPartitions(Set.of(partition));
        if (requireActive) {
            request = request.requireActive();
        }
        StateQueryResult<V> result = streams.query(request);
        QueryResult<V> partitionResult = result.getPartitionResults().get(partition);
        if (partitionResult == null) {
            return new LocalRead.Unavailable<>("NOT_PRESENT", "partition " + partition + " of " + store
                    + " is not on this instance");
        }
        if (partitionResult.isFailure()) {
            return new LocalRead.Unavailable<>(partitionResult.getFailureReason().name(),
                    partitionResult.getFailureMessage());
        }
        return new LocalRead.Served<>(partitionResult.getResult(), fromStandby);
    }
}
