package io.channelstream.diversion;

import io.channelstream.events.CodeTrail;
import io.channelstream.events.DealerDiversionScore;
import java.time.Instant;
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
 * Typed reads over the diversion topology's stores, aimed at the one partition that owns the key. Local reads
 * of this instance's stores; which instance owns a key is {@link #ownerOfCode} / {@link #ownerOfDealer}, and
 * routing is the caller's job.
 *
 * <p>Reads go through Interactive Queries v1 ({@code ReadOnlyKeyValueStore} of one partition), not IQv2: in
 * Kafka Streams 4.2.1 an IQv2 query on a RocksDB store takes the store's {@code Position} lock and then the
 * store lock, while the stream thread's {@code put} takes them in the other order, so a read racing a write can
 * deadlock both for good (KAFKA-19629, fixed upstream after 4.2.1). An IQv1 {@code get} takes only the store
 * lock. Every scan writes its code's trail, so on this topology a trail read racing a scan is the common case.
 */
public final class DiversionReads {

    /** Why a read was refused: no running active copy of the partition here (a standby may answer). */
    public static final String NOT_ACTIVE = "NOT_ACTIVE";
    /** Why a read was refused: no copy of the partition here at all, not even a standby. */
    public static final String NOT_PRESENT = "NOT_PRESENT";
    /** Why a read was refused: the instance is rebalancing and the store is moving. */
    public static final String REBALANCING = "REBALANCING";
    /** Why a read was refused: the instance is not running (not started, shutting down, failed). */
    public static final String NOT_UP = "NOT_UP";

    private static final Serializer<String> KEY_SERIALIZER = Serdes.String().serializer();

    private final KafkaStreams streams;
    private final DiversionConfig config;

    public DiversionReads(KafkaStreams streams, DiversionConfig config) {
        this.streams = streams;
        this.config = config;
    }

    /** Which instance (active and standbys) and partition hold a code's trail. */
    public KeyQueryMetadata ownerOfCode(String code) {
        return streams.queryMetadataForKey(DiversionTopology.CODE_TRAILS_STORE, code, KEY_SERIALIZER);
    }

    /** Which instance and partition hold a dealer's score. */
    public KeyQueryMetadata ownerOfDealer(String dealerId) {
        return streams.queryMetadataForKey(DiversionTopology.DEALER_SCORES_STORE, dealerId, KEY_SERIALIZER);
    }

    /** A code's binding history and recent sightings; empty when the code was never bound nor scanned. */
    public StoreRead<Optional<CodeTrail>> codeTrail(String code, int partition, boolean acceptStandby) {
        return get(DiversionTopology.CODE_TRAILS_STORE, code, partition, acceptStandby);
    }

    /** A dealer's score as of {@code asOf} (windows end there), with its open cases. */
    public StoreRead<DealerScoreSnapshot> dealerScore(String dealerId, Instant asOf, int partition,
                                                      boolean acceptStandby) {
        StoreRead<Optional<DealerDiversionScore>> read =
                get(DiversionTopology.DEALER_SCORES_STORE, dealerId, partition, acceptStandby);
        if (read instanceof StoreRead.Served<Optional<DealerDiversionScore>> served) {
            DealerScoreSnapshot snapshot = served.value()
                    .map(score -> DealerScoreSnapshot.of(score, asOf, config))
                    .orElseGet(() -> DealerScoreSnapshot.clean(dealerId, asOf, config));
            return new StoreRead.Served<>(snapshot, served.fromStandby());
        }
        StoreRead.Unavailable<?> unavailable = (StoreRead.Unavailable<?>) read;
        return new StoreRead.Unavailable<>(unavailable.reason(), unavailable.message());
    }

    /**
     * The active copy's answer; with {@code acceptStandby}, when this instance has no running active copy of the
     * partition, a standby's (or a still-restoring copy's), marked as such since it may lag.
     */
    private <V> StoreRead<Optional<V>> get(String store, String key, int partition, boolean acceptStandby) {
        StoreRead<Optional<V>> active = read(store, key, partition, false);
        if (acceptStandby && active instanceof StoreRead.Unavailable<Optional<V>>) {
            return read(store, key, partition, true);
        }
        return active;
    }

    /** One get from one partition's store; a store that moves away mid-read answers Unavailable, never throws. */
    private <V> StoreRead<Optional<V>> read(String store, String key, int partition, boolean stale) {
        StoreQueryParameters<ReadOnlyKeyValueStore<String, V>> parameters = StoreQueryParameters
                .fromNameAndType(store, QueryableStoreTypes.<String, V>keyValueStore())
                .withPartition(partition);
        if (stale) {
            parameters = parameters.enableStaleStores();
        }
        try {
            return new StoreRead.Served<>(Optional.ofNullable(streams.store(parameters).get(key)), stale);
        } catch (InvalidStateStorePartitionException notHere) {
            return new StoreRead.Unavailable<>(stale ? NOT_PRESENT : NOT_ACTIVE, "partition " + partition + " of "
                    + store + (stale ? " has no copy" : " has no running active copy") + " on this instance");
        } catch (StateStoreMigratedException migrated) {
            return new StoreRead.Unavailable<>(REBALANCING, migrated.getMessage());
        } catch (InvalidStateStoreException notRunning) {
            // the stream thread is not RUNNING: mid-rebalance, or the instance is not up at all
            String reason = streams.state() == KafkaStreams.State.REBALANCING ? REBALANCING : NOT_UP;
            return new StoreRead.Unavailable<>(reason, notRunning.getMessage());
        }
    }
}
