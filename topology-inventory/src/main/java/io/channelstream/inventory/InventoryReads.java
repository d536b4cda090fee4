package io.channelstream.inventory;

import io.channelstream.events.InventoryPosition;
import io.channelstream.events.OrderReservation;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.errors.InvalidStateStorePartitionException;
import org.apache.kafka.streams.errors.StateStoreMigratedException;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Typed reads over the inventory topology's stores, aimed at the one partition that owns a location.
 * These are local reads of this instance's stores (no network); finding the instance that owns a key
 * is {@link #ownerOf(String)}, and routing is the caller's job.
 *
 * <p>Reads go through Interactive Queries v1 ({@code ReadOnlyKeyValueStore} of one partition), not
 * IQv2: in Kafka Streams 4.2.1 an IQv2 query on a RocksDB store takes the store's {@code Position}
 * lock and then the store lock, while the stream thread's {@code put} takes them in the other order,
 * so a read racing a write can deadlock both for good (KAFKA-19629, fixed upstream after 4.2.1 by
 * apache/kafka PR 23184). An IQv1 {@code get}/{@code range} takes only the store lock.
 */
public final class InventoryReads {

    private static final Serializer<String> KEY_SERIALIZER = Serdes.String().serializer();

    /** Why a read was refused: no running active copy of the partition here (a standby may answer). */
    public static final String NOT_ACTIVE = "NOT_ACTIVE";
    /** Why a read was refused: no copy of the partition here at all, not even a standby. */
    public static final String NOT_PRESENT = "NOT_PRESENT";
    /** Why a read was refused: the instance is rebalancing and the store is moving. */
    public static final String REBALANCING = "REBALANCING";
    /** Why a read was refused: the instance is not running (not started, shutting down, failed). */
    public static final String NOT_UP = "NOT_UP";

    private final KafkaStreams streams;

    public InventoryReads(KafkaStreams streams) {
        this.streams = streams;
    }

    /** Which instance (active and standbys) and partition hold a location's stock. */
    public KeyQueryMetadata ownerOf(String locationId) {
        return streams.queryMetadataForKey(InventoryTopology.STOCK_STORE, locationId, KEY_SERIALIZER);
    }

    /**
     * Every batch of one SKU at one location, read from {@code partition} of this instance: from the
     * active copy, or, when {@code acceptStandby} and this instance has no running active copy of the
     * partition (it is a standby here, or a rebalance is under way), from a standby or a still-restoring
     * copy, marked as such since it may lag.
     */
    public LocalRead<StockLevel> stockLevel(String locationId, String sku, int partition, boolean acceptStandby) {
        String key = InventoryTopology.stockKey(locationId, sku);
        Function<ReadOnlyKeyValueStore<String, SkuStock>, List<InventoryPosition>> batchesOfSku =
                store -> batches(store.get(key));
        LocalRead<List<InventoryPosition>> batches =
                read(InventoryTopology.STOCK_STORE, partition, false, batchesOfSku);
        if (acceptStandby && batches instanceof LocalRead.Unavailable<?>) {
            batches = read(InventoryTopology.STOCK_STORE, partition, true, batchesOfSku);
        }
        if (batches instanceof LocalRead.Served<List<InventoryPosition>> served) {
            List<InventoryPosition> shown;
            try {
                ReadOnlyKeyValueStore<String, Object> locks = lockedBatches();
                shown = served.value().stream().map(batch -> withRecallBlock(batch, locks)).toList();
            } catch (InvalidStateStoreException notUp) {
                return new LocalRead.Unavailable<>(NOT_UP, notUp.getMessage());
            }
            return new LocalRead.Served<>(StockLevel.of(locationId, sku, shown), served.fromStandby());
        }
        LocalRead.Unavailable<List<InventoryPosition>> unavailable =
                (LocalRead.Unavailable<List<InventoryPosition>>) batches;
        return new LocalRead.Unavailable<>(unavailable.reason(), unavailable.message());
    }

    /**
     * What the inventory did with an order at its fulfilling location (held, rejected with shortfall,
     * released, consumed); empty when the order has not been seen there (yet). Active copy only.
     */
    public LocalRead<Optional<OrderReservation>> orderReservation(String locationId, String orderId, int partition) {
        String key = InventoryTopology.reservationKey(locationId, orderId);
        return read(InventoryTopology.ORDER_OUTCOMES_STORE, partition, false,
                (ReadOnlyKeyValueStore<String, OrderReservation> store) -> Optional.ofNullable(store.get(key)));
    }

    /** Whether a batch is locked for recall (the global store every instance holds in full). */
    public boolean isLocked(String sku, String batch) {
        return lockedBatches().get(InventoryTopology.batchKey(sku, batch)) != null;
    }

    /**
     * One read of one partition's store: {@code stale} also accepts standby and restoring copies
     * (marking the answer as possibly lagging). A store that moves away mid-read answers Unavailable,
     * never throws: the caller turns that into 503 + Retry-After or a read elsewhere.
     */
    private <V, T> LocalRead<T> read(String storeName, int partition, boolean stale,
                                     Function<ReadOnlyKeyValueStore<String, V>, T> query) {
        StoreQueryParameters<ReadOnlyKeyValueStore<String, V>> parameters = StoreQueryParameters
                .fromNameAndType(storeName, QueryableStoreTypes.<String, V>keyValueStore())
                .withPartition(partition);
        if (stale) {
            parameters = parameters.enableStaleStores();
        }
        try {
            return new LocalRead.Served<>(query.apply(streams.store(parameters)), stale);
        } catch (InvalidStateStorePartitionException notHere) {
            return new LocalRead.Unavailable<>(stale ? NOT_PRESENT : NOT_ACTIVE, "partition " + partition + " of "
                    + storeName + (stale ? " has no copy" : " has no running active copy") + " on this instance");
        } catch (StateStoreMigratedException migrated) {
            return new LocalRead.Unavailable<>(REBALANCING, migrated.getMessage());
        } catch (InvalidStateStoreException notRunning) {
            // the stream thread is not RUNNING: mid-rebalance, or the instance is not up at all
            String reason = streams.state() == KafkaStreams.State.REBALANCING ? REBALANCING : NOT_UP;
            return new LocalRead.Unavailable<>(reason, notRunning.getMessage());
        }
    }

    /** The SKU's batches, earliest expiry first (none when the location never held the SKU). */
    static List<InventoryPosition> batches(SkuStock stock) {
        if (stock == null) {
            return List.of();
        }
        List<InventoryPosition> batches = new ArrayList<>(stock.batches());
        batches.sort(EARLIEST_EXPIRY_FIRST);
        return batches;
    }

    /**
     * A batch under a recall lock is blocked everywhere: all its units are blocked, none available.
     * Locks live in a global store, so this holds even for positions no event has touched since.
     */
    private static InventoryPosition withRecallBlock(InventoryPosition position,
                                                     ReadOnlyKeyValueStore<String, Object> locks) {
        if (locks.get(InventoryTopology.batchKey(position.getSku(), position.getBatch())) == null) {
            return position;
        }
        return InventoryPosition.newBuilder(position)
                .setBlocked(Math.max(0, position.getOnHand() - position.getReserved()))
                .setAvailable(0)
                .build();
    }

    private ReadOnlyKeyValueStore<String, Object> lockedBatches() {
        return streams.store(StoreQueryParameters.fromNameAndType(InventoryTopology.LOCKED_BATCHES_STORE,
                QueryableStoreTypes.keyValueStore()));
    }

    private static final Comparator<InventoryPosition> EARLIEST_EXPIRY_FIRST = StockLedger.EARLIEST_EXPIRY_FIRST;
}
