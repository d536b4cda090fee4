package io.channelstream.inventory;

import io.channelstream.events.TransferState;
import java.util.Optional;
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
 * Where a transfer stands, read on the partition of its source location (the transfer's state is kept beside
 * the source's stock). Interactive Queries v1 for the reason {@link InventoryReads} gives (KAFKA-19629).
 */
public final class TransferReads {

    private static final Serializer<String> KEY_SERIALIZER = Serdes.String().serializer();

    private final KafkaStreams streams;

    public TransferReads(KafkaStreams streams) {
        this.streams = streams;
    }

    /** Which instance and partition hold the transfers whose source is {@code fromLocationId}. */
    public KeyQueryMetadata ownerOf(String fromLocationId) {
        return streams.queryMetadataForKey(InventoryTopology.TRANSFERS_STORE, fromLocationId, KEY_SERIALIZER);
    }

    /**
     * The transfer's state from {@code partition} of this instance (the active copy, or with {@code acceptStale}
     * a standby's); empty when the topology has not seen the transfer's request (yet).
     */
    public LocalRead<Optional<TransferState>> transfer(String fromLocationId, String transferId, int partition,
                                                       boolean acceptStale) {
        String key = InventoryTopology.transferKey(fromLocationId, transferId);
        StoreQueryParameters<ReadOnlyKeyValueStore<String, TransferState>> parameters = StoreQueryParameters
                .fromNameAndType(InventoryTopology.TRANSFERS_STORE,
                        QueryableStoreTypes.<String, TransferState>keyValueStore())
                .withPartition(partition);
        if (acceptStale) {
            parameters = parameters.enableStaleStores();
        }
        try {
            return new LocalRead.Served<>(Optional.ofNullable(streams.store(parameters).get(key)), acceptStale);
        } catch (InvalidStateStorePartitionException notHere) {
            return new LocalRead.Unavailable<>(acceptStale ? InventoryReads.NOT_PRESENT : InventoryReads.NOT_ACTIVE,
                    "partition " + partition + " of the transfers has no " + (acceptStale ? "" : "running active ")
                            + "copy on this instance");
        } catch (StateStoreMigratedException migrated) {
            return new LocalRead.Unavailable<>(InventoryReads.REBALANCING, migrated.getMessage());
        } catch (InvalidStateStoreException notRunning) {
            String reason = streams.state() == KafkaStreams.State.REBALANCING ? InventoryReads.REBALANCING
                    : InventoryReads.NOT_UP;
            return new LocalRead.Unavailable<>(reason, notRunning.getMessage());
        }
    }
}
