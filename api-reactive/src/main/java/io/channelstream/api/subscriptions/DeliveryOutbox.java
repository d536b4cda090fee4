package io.channelstream.api.subscriptions;

import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.util.List;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The durable outbox of partner deliveries in PostgreSQL. An event is queued for every matching
 * subscription in the transaction that precedes acknowledging its Kafka offset, so a crash between the
 * two queues it again (a no-op, by {@code (subscription, eventId)}); a delivery is claimed with a lease,
 * so an instance that dies mid-delivery leaves it to another once the lease runs out. Nothing is held
 * only in memory.
 *
 * <p>Order per key: of the PENDING rows of one (subscription, ordering key) only the oldest is ever due;
 * the others wait parked ({@code next_attempt_at = infinity}) until it is delivered or dead. Queueing and
 * completing take the same advisory lock per ordering key, so a newly queued row can never miss the
 * promotion of its predecessor; a periodic sweep promotes any head left parked all the same.
 */
@Component
public class DeliveryOutbox {

    private final DatabaseClient db;
    private final TransactionalOperator tx;

    public DeliveryOutbox(DatabaseClient db, ReactiveTransactionManager transactions) {
        this.db = db;
        this.tx = TransactionalOperator.create(transactions);
    }

    /** A delivery claimed for one attempt. */
    record Claimed(long deliveryId, String subscriptionId, long seq, String eventId, String eventType,
                   String orderingKey, String payload, int attempts, String webhookUrl, String secret,
                   int maxAttempts) {}

    /**
     * Queues an event for every subscription whose types and filter match: the event's region path
     * overlaps the subscription's regions, or its dealer is one of the subscription's dealers. Paused
     * subscriptions are included: pausing stops delivery, not queuing, so a resumed partner misses nothing.
     */
    public Mono<Long> enqueue(PartnerEventType type, String orderingKey, String eventId, Instant occurredAt,
                              String payload, String[] regionPath, String dealerId) {
        DatabaseClient.GenericExecuteSpec insert = db.sql("""
                        with matching as (
                            update partner_subscription s set last_seq = s.last_seq + 1
                            where :type = any(s.event_types)
                              and (s.region_codes && :path::text[]
                                   or (cast(:dealer as text) is not null and cast(:dealer as text) = any(s.dealer_ids)))
                              and not exists (select 1 from partner_delivery d
                                              where d.subscription_id = s.subscription_id and d.event_id = :eventId)
                            returning s.subscription_id, s.last_seq, s.delivery)
                        insert into partner_delivery (subscription_id, seq, event_id, event_type, ordering_key, payload,
                                                      occurred_at, state, next_attempt_at)
                        select m.subscription_id, m.last_seq, :eventId, :type, :key, :payload, :occurredAt,
                               case when m.delivery = 'SSE' then 'STREAM' else 'PENDING' end,
                               case when m.delivery = 'WEBHOOK' and exists (
                                        select 1 from partner_delivery p
                                        where p.subscription_id = m.subscription_id and p.ordering_key = :key
                                          and p.state = 'PENDING')
                                    then 'infinity'::timestamptz else now() end
                        from matching m
                        on conflict (subscription_id, event_id) do nothing""")
                .bind("type", type.name())
                .bind("path", regionPath)
                .bind("eventId", eventId)
                .bind("key", orderingKey)
                .bind("payload", payload)
                .bind("occurredAt", occurredAt);
        insert = dealerId == null ? insert.bindNull("dealer", String.class) : insert.bind("dealer", dealerId);
        return lockKey(orderingKey).then(insert.fetch().rowsUpdated()).as(tx::transactional);
    }

    /**
     * Claims due deliveries for one attempt each: heads of their keys only, at most {@code perSubscription}
     * in flight per subscription (so one slow partner cannot take every slot), skipping rows another
     * instance is claiming right now.
     */
    Flux<Claimed> claim(int batch, int perSubscription, long leaseMillis) {
        return db.sql("""
                        -- both materialized: inlined into the locking join, PostgreSQL re-ran the window and the
                        -- anti-join per candidate row (a claim over 20,000 due rows ran for minutes on CPU)
                        with busy as materialized (
                            select subscription_id, count(*) as leased from partner_delivery
                            where state = 'PENDING' and lease_until > now() group by subscription_id),
                        due as materialized (
                            select d.delivery_id, d.subscription_id,
                                   row_number() over (partition by d.subscription_id order by d.seq) as rank
                            from partner_delivery d
                            join partner_subscription s on s.subscription_id = d.subscription_id and s.active
                            where d.state = 'PENDING' and d.next_attempt_at <= now()
                              and (d.lease_until is null or d.lease_until < now())
                              and not exists (select 1 from partner_delivery e
                                              where e.subscription_id = d.subscription_id
                                                and e.ordering_key = d.ordering_key
                                                and e.state = 'PENDING' and e.seq < d.seq)),
                        picked as (
                            select p.delivery_id from partner_delivery p
                            join due on due.delivery_id = p.delivery_id
                            left join busy on busy.subscription_id = due.subscription_id
                            where due.rank + coalesce(busy.leased, 0) <= :perSubscription
                              -- re-checked on the row's latest version once locked: another instance may just have claimed it
                              and p.state = 'PENDING' and (p.lease_until is null or p.lease_until < now())
                            order by p.delivery_id
                            limit :batch
                            for update of p skip locked)
                        update partner_delivery d
                        set lease_until = now() + make_interval(secs => :leaseSeconds),
                            attempts = d.attempts + 1, last_attempt_at = now()
                        from picked, partner_subscription s
                        where d.delivery_id = picked.delivery_id and s.subscription_id = d.subscription_id
                        returning d.delivery_id, d.subscription_id, d.seq, d.event_id, d.event_type, d.ordering_key,
                                  d.payload, d.attempts, s.webhook_url, s.secret, s.max_attempts""")
                .bind("perSubscription", perSubscription)
                .bind("batch", batch)
                .bind("leaseSeconds", leaseMillis / 1000.0)
                .map(row -> new Claimed(
                        row.get("delivery_id", Long.class),
                        row.get("subscription_id", String.class),
                        row.get("seq", Long.class),
                        row.get("event_id", String.class),
                        row.get("event_type", String.class),
                        row.get("ordering_key", String.class),
                        row.get("payload", String.class),
                        row.get("attempts", Integer.class),
                        row.get("webhook_url", String.class),
                        row.get("secret", String.class),
                        row.get("max_attempts", Integer.class)))
                .all();
    }

    /** The partner took it: delivered, and the next event of its key becomes due. */
    Mono<Void> delivered(Claimed claimed) {
        return lockKey(claimed.orderingKey())
                .then(db.sql("""
                                update partner_delivery set state = 'DELIVERED', delivered_at = now(), lease_until = null,
                                    last_error = null
                                where delivery_id = :id and state = 'PENDING'""")
                        .bind("id", claimed.deliveryId()).fetch().rowsUpdated())
                .then(promoteNext(claimed))
                .as(tx::transactional);
    }

    /** The attempt failed: retry after {@code backoffMillis}, or park it as a dead letter after its last attempt. */
    Mono<Void> failed(Claimed claimed, String error, long backoffMillis) {
        boolean last = claimed.attempts() >= claimed.maxAttempts();
        Mono<Long> update = last
                ? db.sql("""
                                update partner_delivery set state = 'DEAD', lease_until = null, last_error = :error
                                where delivery_id = :id and state = 'PENDING'""")
                        .bind("error", error).bind("id", claimed.deliveryId()).fetch().rowsUpdated()
                : db.sql("""
                                update partner_delivery
                                set next_attempt_at = now() + make_interval(secs => :backoffSeconds), lease_until = null,
                                    last_error = :error
                                where delivery_id = :id and state = 'PENDING'""")
                        .bind("backoffSeconds", backoffMillis / 1000.0)
                        .bind("error", error).bind("id", claimed.deliveryId()).fetch().rowsUpdated();
        return lockKey(claimed.orderingKey())
                .then(update)
                .then(last ? promoteNext(claimed) : Mono.empty())
                .as(tx::transactional);
    }

    private Mono<Void> promoteNext(Claimed claimed) {
        return db.sql("""
                        update partner_delivery set next_attempt_at = now()
                        where delivery_id = (select delivery_id from partner_delivery
                                             where subscription_id = :subscription and ordering_key = :key
                                               and state = 'PENDING'
                                             order by seq limit 1)
                          and next_attempt_at = 'infinity'""")
                .bind("subscription", claimed.subscriptionId())
                .bind("key", claimed.orderingKey())
                .fetch().rowsUpdated().then();
    }

    /** Makes the parked head of every key due (all subscriptions, or one). A safety net; cheap when nothing is parked wrongly. */
    Mono<Long> promoteParkedHeads(String subscriptionId) {
        return db.sql("""
                        update partner_delivery d set next_attempt_at = now()
                        where d.state = 'PENDING' and d.next_attempt_at = 'infinity'
                          and (:subscription = '' or d.subscription_id = :subscription)
                          and not exists (select 1 from partner_delivery e
                                          where e.subscription_id = d.subscription_id and e.ordering_key = d.ordering_key
                                            and e.state = 'PENDING' and e.seq < d.seq)""")
                .bind("subscription", subscriptionId == null ? "" : subscriptionId)
                .fetch().rowsUpdated();
    }

    /** Forgets delivered and streamed events older than the retention (dead letters stay until replayed or deleted). */
    Mono<Long> purge(int retentionDays) {
        return db.sql("""
                        delete from partner_delivery
                        where state in ('DELIVERED', 'STREAM') and occurred_at < now() - make_interval(days => :days)""")
                .bind("days", retentionDays)
                .fetch().rowsUpdated();
    }

    /**
     * Queues again every webhook event of the subscription that occurred at or after {@code from} (or only
     * its dead letters), in their original order; completes with how many.
     */
    public Mono<Long> replay(String subscriptionId, Instant from, boolean deadLettersOnly) {
        return db.sql("""
                        update partner_delivery
                        set state = 'PENDING', attempts = 0, next_attempt_at = 'infinity', lease_until = null,
                            last_error = null, delivered_at = null
                        where subscription_id = :subscription and occurred_at >= :from
                          and state in ('DELIVERED', 'DEAD') and (state = 'DEAD' or not :deadOnly)""")
                .bind("subscription", subscriptionId)
                .bind("from", from)
                .bind("deadOnly", deadLettersOnly)
                .fetch().rowsUpdated()
                .flatMap(requeued -> promoteParkedHeads(subscriptionId).thenReturn(requeued))
                .as(tx::transactional);
    }

    /** A subscription's deliveries in one state, oldest first. */
    public Flux<DeliveryView> deliveries(String subscriptionId, String state, int limit) {
        return db.sql("""
                        select seq, event_id, event_type, ordering_key, state, attempts, occurred_at, last_attempt_at,
                               last_error, delivered_at
                        from partner_delivery where subscription_id = :subscription and state = :state
                        order by seq limit :limit""")
                .bind("subscription", subscriptionId)
                .bind("state", state)
                .bind("limit", limit)
                .map(DeliveryOutbox::view)
                .all();
    }

    /** A streamed event: its number in the subscription and its JSON envelope. */
    record Streamed(long seq, String payload) {}

    /** The subscription's events numbered after {@code afterSeq}, in order (an SSE subscription's stream). */
    Mono<List<Streamed>> streamAfter(String subscriptionId, long afterSeq, int limit) {
        return db.sql("""
                        select seq, payload from partner_delivery
                        where subscription_id = :subscription and seq > :after order by seq limit :limit""")
                .bind("subscription", subscriptionId)
                .bind("after", afterSeq)
                .bind("limit", limit)
                .map(row -> new Streamed(row.get("seq", Long.class), row.get("payload", String.class)))
                .all()
                .collectList();
    }

    private Mono<Void> lockKey(String orderingKey) {
        return db.sql("select pg_advisory_xact_lock(hashtextextended(:key, 0))")
                .bind("key", orderingKey)
                .fetch().all().then();
    }

    private static DeliveryView view(Readable row) {
        return new DeliveryView(
                row.get("seq", Long.class),
                row.get("event_id", String.class),
                row.get("event_type", String.class),
                row.get("ordering_key", String.class),
                row.get("state", String.class),
                row.get("attempts", Integer.class),
                row.get("occurred_at", Instant.class),
                row.get("last_attempt_at", Instant.class),
                row.get("last_error", String.class),
                row.get("delivered_at", Instant.class));
    }
}
