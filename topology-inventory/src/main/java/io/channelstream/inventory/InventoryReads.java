package io.channelstream.inventory;

import io.channelstream.events.InventoryPosition;
import java.util.ArrayList;
import java.util.Comparator;
import io.channelstream.events.OrderReservation;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.query.KeyQuery;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.query.RangeQuery;
import org.apache.kafka.streams.query.StateQueryRequest;
import org.apache.kafka.streams.query.StateQueryResult;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

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

    /**
     * What the inventory did with an order at its fulfilling location (held, rejected with shortfall,
     * released, consumed); empty when the order has not been seen there (yet).
     */
    public LocalRead<Optional<OrderReservation>> orderReservation(String locationId, String orderId, int partition) {
        StateQueryRequest<OrderReservation> request = StateQueryRequest
                .inStore(InventoryTopology.ORDER_OUTCOMES_STORE)
                .withQuery(KeyQuery.<String, OrderReservation>withKey(
                        InventoryTopology.reservationKey(locationId, orderId)))
                .withPartitions(Set.of(partition))
                .requireActive();
        QueryResult<OrderReservation> result = streams.query(request).getPartitionResults().get(partition);
        if (result == null) {
            return new LocalRead.Unavailable<>("NOT_PRESENT", "partition " + partition + " is not on this instance");
        }
        if (result.isFailure()) {
            return new LocalRead.Unavailable<>(result.getFailureReason().name(), result.getFailureMessage());
        }
        return new LocalRead.Served<>(Optional.ofNullable(result.getResult()), false);
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
        return new LocalRead.Served<>(batches.stream().map(this::withRecallBlock).toList(), !requireActive);
    }

    /**
     * A batch under a recall lock is blocked everywhere: all its units are blocked, none available.
     * Locks live in a global store, so this holds even for positions no event has touched since.
     */
    private InventoryPosition withRecallBlock(InventoryPosition position) {
        if (lockedBatches().get(InventoryTopology.batchKey(position.getSku(), position.getBatch())) == null) {
            return position;
        }
        return InventoryPosition.newBuilder(position)
                .setBlocked(Math.max(0, position.getOnHand() - position.getReserved()))
                .setAvailable(0)
                .build();
    }

    /** Whether a batch is locked for recall (the global store every instance holds in full). */
    public boolean isLocked(String sku, String batch) {
        return lockedBatches().get(InventoryTopology.batchKey(sku, batch)) != null;
    }

    private ReadOnlyKeyValueStore<String, Object> lockedBatches() {
        return streams.store(StoreQueryParameters.fromNameAndType(InventoryTopology.LOCKED_BATCHES_STORE,
                QueryableStoreTypes.keyValueStore()));
    }

    private static final Comparator<InventoryPosition> EARLIEST_EXPIRY_FIRST = Comparator
            .comparing(InventoryPosition::getExpiryDate, Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(InventoryPosition::getBatch);
}
