package io.channelstream.inventory;

import io.channelstream.events.InventoryPosition;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.query.RangeQuery;
import org.apache.kafka.streams.query.StateQueryRequest;
import org.apache.kafka.streams.query.StateQueryResult;
import org.apache.kafka.streams.state.KeyValueIterator;

/**
 * Typed reads over the inventory topology's stores, through Interactive Queries v2 aimed at the one
 * partition that owns a location. These are local reads of this instance's RocksDB (no network);
 * finding the instance that owns a key is {@link #ownerOf(String)}, and routing is the caller's job.
 */
public final class InventoryReads {

    // Above every character our keys use, so [prefix, prefix + HIGH] spans exactly the prefix.
    private static final String HIGH = "\uffff";
    private static final Serializer<String> KEY_SERIALIZER = Serdes.String().serializer();

    private final KafkaStreams streams;

    public InventoryReads(KafkaStreams streams) {
        this.streams = streams;
    }

    /** Which instance (active and standbys) and partition hold a location's stock. */
    public KeyQueryMetadata ownerOf(String locationId) {
        return streams.queryMetadataForKey(InventoryTopology.POSITIONS_STORE, locationId, KEY_SERIALIZER);
    }

    /**
     * Every batch of one SKU at one location, read from {@code partition} of this instance: from the
     * active copy, or, when {@code acceptStandby} and this instance only holds a standby, from the
     * standby (marked as such; it may lag).
     */
    public LocalRead<StockLevel> stockLevel(String locationId, String sku, int partition, boolean acceptStandby) {
        String prefix = InventoryTopology.positionKey(locationId, sku, "");
        RangeQuery<String, InventoryPosition> query = RangeQuery.withRange(prefix, prefix + HIGH);
        LocalRead<List<InventoryPosition>> batches = range(query, partition, true);
        if (acceptStandby && batches instanceof LocalRead.Unavailable<?> unavailable
                && "NOT_ACTIVE".equals(unavailable.reason())) {
            batches = range(query, partition, false);
        }
        if (batches instanceof LocalRead.Served<List<InventoryPosition>> served) {
            return new LocalRead.Served<>(StockLevel.of(locationId, sku, served.value()), served.fromStandby());
        }
        LocalRead.Unavailable<List<InventoryPosition>> unavailable =
                (LocalRead.Unavailable<List<InventoryPosition>>) batches;
        return new LocalRead.Unavailable<>(unavailable.reason(), unavailable.message());
    }

    private LocalRead<List<InventoryPosition>> range(
            RangeQuery<String, InventoryPosition> query, int partition, boolean requireActive) {
        StateQueryRequest<KeyValueIterator<String, InventoryPosition>> request = StateQueryRequest
                .inStore(InventoryTopology.POSITIONS_STORE)
                .withQuery(query)
                .withPartitions(Set.of(partition));
        if (requireActive) {
            request = request.requireActive();
        }
        StateQueryResult<KeyValueIterator<String, InventoryPosition>> result = streams.query(request);
        QueryResult<KeyValueIterator<String, InventoryPosition>> partitionResult =
                result.getPartitionResults().get(partition);
        if (partitionResult == null) {
            return new LocalRead.Unavailable<>("NOT_PRESENT",
                    "partition " + partition + " of " + InventoryTopology.POSITIONS_STORE + " is not on this instance");
        }
        if (partitionResult.isFailure()) {
            return new LocalRead.Unavailable<>(partitionResult.getFailureReason().name(),
                    partitionResult.getFailureMessage());
        }
        List<InventoryPosition> batches = new ArrayList<>();
        try (KeyValueIterator<String, InventoryPosition> iterator = partitionResult.getResult()) {
            while (iterator.hasNext()) {
                KeyValue<String, InventoryPosition> entry = iterator.next();
                batches.add(entry.value);
            }
        }
        batches.sort(EARLIEST_EXPIRY_FIRST);
        return new LocalRead.Served<>(batches, !requireActive);
    }

    private static final Comparator<InventoryPosition> EARLIEST_EXPIRY_FIRST = Comparator
            .comparing(InventoryPosition::getExpiryDate, Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(InventoryPosition::getBatch);
}
