package io.channelstream.api.masterdata;

import io.channelstream.api.kafka.EventPublisher;
import io.channelstream.events.DealerUpserted;
import io.channelstream.events.RegionAuthorization;
import io.channelstream.schemas.Topics;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Dealers of record in PostgreSQL ({@code dealer}, {@code dealer_region}), with a short-lived cache: every
 * order check asks for a dealer's regions. Each change is published to {@code master.dealers} with the
 * dealer's whole authorization history, because that topic is compacted to one record per dealer.
 */
@Service
public class DealerDirectory {

    private static final Duration CACHE_TTL = Duration.ofSeconds(30);

    private record Cached(Dealer dealer, Instant loadedAt) {}

    private final DatabaseClient db;
    private final EventPublisher publisher;
    private final TransactionalOperator transactions;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    public DealerDirectory(DatabaseClient db, EventPublisher publisher, ReactiveTransactionManager transactionManager) {
        this.db = db;
        this.publisher = publisher;
        this.transactions = TransactionalOperator.create(transactionManager);
    }

    /** The dealer, or empty when no such dealer is on record. */
    public Mono<Dealer> find(String dealerId) {
        Cached cached = cache.get(dealerId);
        if (cached != null && cached.loadedAt().plus(CACHE_TTL).isAfter(Instant.now())) {
            return Mono.just(cached.dealer());
        }
        return load(dealerId).doOnNext(dealer -> cache.put(dealerId, new Cached(dealer, Instant.now())));
    }

    /**
     * Records the dealer and the authorization it announces, then publishes the dealer with its full
     * history. The database write is one transaction; the event follows it (a failed publish answers 5xx
     * and the same PUT can be repeated: it is idempotent).
     */
    public Mono<Dealer> upsert(String dealerId, DealerRequest request, Instant effectiveFrom, String source) {
        DatabaseClient.GenericExecuteSpec upsertDealer = db.sql("""
                        insert into dealer (dealer_id, name, tier, regional_manager_region_code, updated_at)
                        values (:id, :name, :tier, :manager, now())
                        on conflict (dealer_id) do update set name = excluded.name, tier = excluded.tier,
                            regional_manager_region_code = excluded.regional_manager_region_code,
                            updated_at = now()""")
                .bind("id", dealerId)
                .bind("name", request.name())
                .bind("tier", request.tier());
        upsertDealer = LocationDirectory.bindNullable(upsertDealer, "manager", request.regionalManagerRegionCode(),
                String.class);
        Mono<Long> write = upsertDealer.fetch().rowsUpdated()
                .then(db.sql("delete from dealer_region where dealer_id = :id and effective_from = :from")
                        .bind("id", dealerId)
                        .bind("from", OffsetDateTime.ofInstant(effectiveFrom, ZoneOffset.UTC))
                        .fetch().rowsUpdated())
                .thenMany(Flux.fromIterable(request.authorizedRegionCodes().stream().distinct().toList())
                        .concatMap(code -> db.sql("""
                                        insert into dealer_region (dealer_id, region_code, effective_from)
                                        values (:id, :code, :from)""")
                                .bind("id", dealerId)
                                .bind("code", code)
                                .bind("from", OffsetDateTime.ofInstant(effectiveFrom, ZoneOffset.UTC))
                                .fetch().rowsUpdated()))
                .reduce(0L, Long::sum);
        return transactions.transactional(write)
                .then(load(dealerId))
                .flatMap(dealer -> publisher.publish(Topics.DEALERS, dealerId,
                                toEvent(dealer, request.authorizedRegionCodes(), effectiveFrom, source))
                        .thenReturn(dealer))
                .doOnNext(dealer -> cache.put(dealerId, new Cached(dealer, Instant.now())));
    }

    private Mono<Dealer> load(String dealerId) {
        Mono<Map<String, Object>> row = db.sql("""
                        select dealer_id, name, tier, regional_manager_region_code from dealer where dealer_id = :id""")
                .bind("id", dealerId)
                .fetch().one();
        Mono<List<Dealer.Authorization>> authorizations = db.sql("""
                        select region_code, effective_from from dealer_region
                        where dealer_id = :id order by effective_from, region_code""")
                .bind("id", dealerId)
                .map((r, meta) -> Map.entry(r.get("effective_from", OffsetDateTime.class).toInstant(),
                        r.get("region_code", String.class)))
                .all()
                .collectList()
                .map(rows -> {
                    TreeMap<Instant, List<String>> byTime = new TreeMap<>();
                    rows.forEach(entry -> byTime.computeIfAbsent(entry.getKey(), t -> new ArrayList<>())
                            .add(entry.getValue()));
                    List<Dealer.Authorization> periods = new ArrayList<>();
                    byTime.forEach((from, codes) -> periods.add(new Dealer.Authorization(from, List.copyOf(codes))));
                    return periods;
                });
        return row.zipWith(authorizations, (r, periods) -> new Dealer(
                (String) r.get("dealer_id"),
                (String) r.get("name"),
                ((Number) r.get("tier")).intValue(),
                (String) r.get("regional_manager_region_code"),
                periods));
    }

    private static DealerUpserted toEvent(Dealer dealer, List<String> announced, Instant effectiveFrom,
                                          String source) {
        return DealerUpserted.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setOccurredAt(Instant.now())
                .setSource(source)
                .setDealerId(dealer.dealerId())
                .setName(dealer.name())
                .setTier(dealer.tier())
                .setAuthorizedRegionCodes(announced.stream().distinct().toList())
                .setEffectiveFrom(effectiveFrom)
                .setRegionalManagerRegionCode(dealer.regionalManagerRegionCode())
                .setAuthorizationHistory(dealer.authorizations().stream()
                        .map(period -> RegionAuthorization.newBuilder()
                                .setEffectiveFrom(period.effectiveFrom())
                                .setRegionCodes(period.regionCodes())
                                .build())
                        .toList())
                .build();
    }
}
