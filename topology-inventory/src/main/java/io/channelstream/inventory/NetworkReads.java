package io.channelstream.inventory;

import io.channelstream.events.BatchControlEvent;
import io.channelstream.events.BatchLocked;
import io.channelstream.events.InventoryPosition;
import io.channelstream.events.LocationUpserted;
import io.channelstream.schemas.Topics;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * This instance's share of the network: the holdings of one SKU (or one batch of it) on the partitions
 * whose active task runs here, read by one prefix range of the network index per partition. An instance
 * never answers for a partition it does not own actively; the caller gathers the shares of all
 * instances and knows from {@link Share#servedPartitions()} whether the gathered answer is whole.
 */
public final class NetworkReads {

    // Above every character our keys use, so [prefix, prefix + HIGH] spans exactly the prefix.
    private static final String HIGH = "\uffff";

    private final KafkaStreams streams;

    public NetworkReads(KafkaStreams streams) {
        this.streams = streams;
    }

    /**
     * One batch of a SKU at one location, with where the location lies and who operates it (from the
     * master data every instance holds in full; null when the location was never announced).
     */
    public record Holding(String locationId, String locationName, String locationKind, String regionCode,
                          String dealerId, InventoryPosition position) {}

    /**
     * @param holdings           batches with stock on hand, by location then earliest expiry
     * @param servedPartitions   partitions answered from their active copy here
     * @param refusedPartitions  partitions this instance did not answer for (not active here), with the reason
     */
    public record Share(List<Holding> holdings, Set<Integer> servedPartitions, Map<Integer, String> refusedPartitions) {}

    /**
     * Where a SKU (every batch, when {@code batch} is null) is held on this instance's active partitions.
     * Interactive Queries v1 on purpose: an IQv2 range query on RocksDB can deadlock against the stream
     * thread's writes in Kafka Streams 4.2.1 (KAFKA-19629, see docs/benchmarks.md); IQv1 takes no
     * {@code Position} lock. Without stale stores enabled, IQv1 answers from active copies only.
     */
    public Share holdings(String sku, String batch) {
        List<Holding> holdings = new ArrayList<>();
        Set<Integer> served = new TreeSet<>();
        Map<Integer, String> refused = new TreeMap<>();
        ReadOnlyKeyValueStore<String, LocationUpserted> locations;
        ReadOnlyKeyValueStore<String, Object> locked;
        try {
            locations = globalStore(InventoryTopology.LOCATIONS_STORE);
            locked = globalStore(InventoryTopology.LOCKED_BATCHES_STORE);
        } catch (InvalidStateStoreException | IllegalStateException notQueryable) { // not started, or stopping
            return new Share(List.of(), Set.of(), Map.of());
        }
        for (int partition = 0; partition < Topics.STOCK_MOVEMENTS.partitions(); partition++) {
            List<Holding> found = new ArrayList<>();
            try {
                ReadOnlyKeyValueStore<String, Long> index = streams.store(StoreQueryParameters
                        .fromNameAndType(InventoryTopology.NETWORK_INDEX_STORE,
                                QueryableStoreTypes.<String, Long>keyValueStore())
                        .withPartition(partition));
                ReadOnlyKeyValueStore<String, SkuStock> stock = streams.store(StoreQueryParameters
                        .fromNameAndType(InventoryTopology.STOCK_STORE,
                                QueryableStoreTypes.<String, SkuStock>keyValueStore())
                        .withPartition(partition));
                for (InventoryPosition position : heldPositions(index, stock, sku, batch)) {
                    found.add(holding(position, locations, locked));
                }
            } catch (InvalidStateStoreException | IllegalStateException notActiveHere) {
                // not hosted here, only a standby here, or migrating: another instance answers for it, or nobody
                refused.put(partition, notActiveHere.getClass().getSimpleName());
                continue;
            }
            served.add(partition);
            holdings.addAll(found);
        }
        holdings.sort(BY_LOCATION_THEN_EXPIRY);
        return new Share(holdings, served, refused);
    }

    /**
     * The positions with stock on hand of a SKU (of one batch of it, unless {@code batch} is null) in one
     * partition's stores: the locations that ever held the SKU are one prefix of the index, and each one's
     * batches one read of its stock record. In location order, then earliest expiry first.
     */
    static List<InventoryPosition> heldPositions(ReadOnlyKeyValueStore<String, Long> index,
                                                 ReadOnlyKeyValueStore<String, SkuStock> stock, String sku,
                                                 String batch) {
        String prefix = Topics.key(sku, "");
        List<InventoryPosition> held = new ArrayList<>();
        try (KeyValueIterator<String, Long> locations = index.range(prefix, prefix + HIGH)) {
            while (locations.hasNext()) {
                String locationId = locations.next().key.substring(prefix.length());
                for (InventoryPosition position : InventoryReads.batches(
                        stock.get(InventoryTopology.stockKey(locationId, sku)))) {
                    if (position.getOnHand() > 0 && (batch == null || batch.equals(position.getBatch()))) {
                        held.add(position);
                    }
                }
            }
        }
        return held;
    }

    /** Whether a batch is locked for recall (the global store every instance holds in full). */
    public boolean isLocked(String sku, String batch) {
        return globalStore(InventoryTopology.LOCKED_BATCHES_STORE).get(InventoryTopology.batchKey(sku, batch)) != null;
    }

    /** Why a batch is locked for recall, or empty when it is not locked (as this instance's global store says). */
    public Optional<String> lockReason(String sku, String batch) {
        Object lock = globalStore(InventoryTopology.LOCKED_BATCHES_STORE).get(InventoryTopology.batchKey(sku, batch));
        if (lock instanceof BatchControlEvent event && event.getPayload() instanceof BatchLocked locked) {
            return Optional.of(locked.getReason() + " (locked by " + locked.getLockedBy() + ")");
        }
        return lock == null ? Optional.empty() : Optional.of("locked");
    }

    private static Holding holding(InventoryPosition position, ReadOnlyKeyValueStore<String, LocationUpserted> locations,
                                   ReadOnlyKeyValueStore<String, Object> locked) {
        InventoryPosition shown = position;
        // a batch under a recall lock is blocked everywhere, even where no event touched it since the lock
        if (locked.get(InventoryTopology.batchKey(position.getSku(), position.getBatch())) != null) {
            shown = InventoryPosition.newBuilder(position)
                    .setBlocked(Math.max(0, position.getOnHand() - position.getReserved()))
                    .setAvailable(0)
                    .build();
        }
        LocationUpserted location = locations.get(position.getLocationId());
        return location == null
                ? new Holding(position.getLocationId(), null, null, null, null, shown)
                : new Holding(position.getLocationId(), location.getName(), location.getKind().name(),
                        location.getRegionCode(), location.getDealerId(), shown);
    }

    private <V> ReadOnlyKeyValueStore<String, V> globalStore(String name) {
        return streams.store(StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.keyValueStore()));
    }

    private static final Comparator<Holding> BY_LOCATION_THEN_EXPIRY = Comparator
            .comparing(Holding::locationId)
            .thenComparing(holding -> holding.position(), StockLedger.EARLIEST_EXPIRY_FIRST);
}
