package io.channelstream.diversion;

import io.channelstream.events.CodeTrail;
import io.channelstream.events.DealerDiversionScore;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.query.KeyQuery;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.query.StateQueryRequest;
import org.apache.kafka.streams.query.StateQueryResult;

/**
 * Typed reads over the diversion topology's stores, through Interactive Queries v2 aimed at the one
 * partition that owns the key. Local reads of this instance's stores; which instance owns a key is
 * {@link #ownerOfCode} / {@link #ownerOfDealer}, and routing is the caller's job.
 */
public final class DiversionReads {

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

    private <V> StoreRead<Optional<V>> get(String store, String key, int partition, boolean acceptStandby) {
        StoreRead<Optional<V>> active = query(store, key, partition, true);
        if (acceptStandby && active instanceof StoreRead.Unavailable<Optional<V>> unavailable
                && "NOT_ACTIVE".equals(unavailable.reason())) {
            return query(store, key, partition, false);
        }
        return active;
    }

    private <V> StoreRead<Optional<V>> query(String store, String key, int partition, boolean requireActive) {
        StateQueryRequest<V> request = StateQueryRequest.inStore(store)
                .withQuery(KeyQuery.<String, V>withKey(key))
                .withPartitions(Set.of(partition));
        if (requireActive) {
            request = request.requireActive();
        }
        StateQueryResult<V> result = streams.query(request);
        QueryResult<V> partitionResult = result.getPartitionResults().get(partition);
        if (partitionResult == null) {
            return new StoreRead.Unavailable<>("NOT_PRESENT",
                    "partition " + partition + " of " + store + " is not on this instance");
        }
        if (partitionResult.isFailure()) {
            return new StoreRead.Unavailable<>(partitionResult.getFailureReason().name(),
                    partitionResult.getFailureMessage());
        }
        return new StoreRead.Served<>(Optional.ofNullable(partitionResult.getResult()), !requireActive);
    }
}
