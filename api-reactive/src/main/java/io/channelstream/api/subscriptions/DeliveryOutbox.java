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

    /** An event to queue, with where it belongs (for matching subscription filters). */
    public record QueuedEvent(PartnerEventType type, String orderingKey, String eventId, Instant occurredAt,
                              String payload, String[] regionPath, String dealerId) {}

    /**
     * Queues an event for every subscription whose types and filter match: the event's region path
     * overlaps the subscription's regions, or its dealer is one of the subscription's dealers. Paused
     * subscriptions are included: pausing stops delivery, not queuing, so a resumed partner misses nothing.
     */
    public Mono<Long> enqueue(PartnerEventType type, String orderingKey, String eventId, Instant occurredAt,
                              String payload, String[] regionPath, String dealerId) {
        return enqueue(List.of(new QueuedEvent(type, orderingKey, eventId, occurredAt, payload, regionPath, dealerId)));
    }

    /**
     * Queues a batch of events, in one transaction and one statement, with what {@link #enqueue(PartnerEventType,
     * String, String, Instant, String, String[], String)} does for each, in list order: a subscription's events
     * get consecutive numbers in that order, and only the first PENDING row of a key (counting rows already
     * queued) is due. An event already queued for a subscription (a redelivery) is skipped. Completes with the
     * number of rows queued.
     */
    public Mono<Long> enqueue(List<QueuedEvent> events) {
        if (events.isEmpty()) {
            return Mono.just(0L);
        }
        int n = events.size();
        Integer[] order = new Integer[n];
        String[] types = new String[n];
        String[] keys = new String[n];
        String[] eventIds = new String[n];
        String[] occurredAt = new String[n]; // ISO-8601, cast in SQL
        String[] payloads = new String[n];
        String[] paths = new String[n];
        String[] dealers = new String[n];
        for (int i = 0; i < n; i++) {
            QueuedEvent event = events.get(i);
            order[i] = i;
            types[i] = event.type().name();
            keys[i] = event.orderingKey();
            eventIds[i] = event.eventId();
            occurredAt[i] = event.occurredAt().toString();
            payloads[i] = event.payload();
            // one text per event: unnest would flatten an array of arrays
            paths[i] = String.join(",", event.regionPath());
            dealers[i] = event.dealerId();
        }
        DatabaseClient.GenericExecuteSpec insert = db.sql("""
                        with event as (
                            -- a redelivered event may occur twice in one batch: the first occurrence counts
                            select distinct on (e.event_id) e.*
                            from unnest(:ordinals::int[], :types::text[], :keys::text[], :eventIds::text[],
                                        :occurredAt::text[]::timestamptz[], :payloads::text[], :paths::text[], :dealers::text[])
                                 as e(ord, event_type, ordering_key, event_id, occurred_at, payload, path, dealer)
                            order by e.event_id, e.ord),
                        pair as (
                            select s.subscription_id, s.delivery, e.*,
                                   row_number() over (partition by s.subscription_id order by e.ord) as nth,
                                   row_number() over (partition by s.subscription_id, e.ordering_key order by e.ord)
                                       as nth_of_key
                            from event e
                            join partner_subscription s on e.event_type = any(s.event_types)
                                and (s.region_codes && string_to_array(e.path, ',')
                                     or (e.dealer is not null and e.dealer = any(s.dealer_ids)))
                            where not exists (select 1 from partner_delivery d
                                              where d.subscription_id = s.subscription_id and d.event_id = e.event_id)),
                        counted as (
                            select subscription_id, count(*) as queued from pair group by subscription_id),
                        locked as (
                            -- one lock order for every writer of these rows: by id
                            select s.subscription_id from partner_subscription s
                            where s.subscription_id in (select subscription_id from counted)
                            order by s.subscription_id
                            for update),
                        numbered as (
                            update partner_subscription s set last_seq = s.last_seq + c.queued
                            from counted c, locked l
                            where s.subscription_id = c.subscription_id and l.subscription_id = c.subscription_id
                            returning s.subscription_id, s.last_seq - c.queued as seq_before)
                        insert into partner_delivery (subscription_id, seq, event_id, event_type, ordering_key, payload,
                                                      occurred_at, state, next_attempt_at)
                        select p.subscription_id, b.seq_before + p.nth, p.event_id, p.event_type, p.ordering_key,
                               p.payload, p.occurred_at,
                               case when p.delivery = 'SSE' then 'STREAM' else 'PENDING' end,
                               case when p.delivery = 'WEBHOOK' and (p.nth_of_key > 1 or exists (
                                        select 1 from partner_delivery q
                                        where q.subscription_id = p.subscription_id and q.ordering_key = p.ordering_key
                                          and q.state = 'PENDING'))
                                    then 'infinity'::timestamptz else now() end
                        from pair p join numbered b on b.subscription_id = p.subscription_id
                        on conflict (subscription_id, event_id) do nothing""")
                .bind("ordinals", order)
                .bind("types", types)
                .bind("keys", keys)
                .bind("eventIds", eventIds)
                .bind("occurredAt", occurredAt)
                .bind("payloads", payloads)
                .bind("paths", paths)
                .bind("dealers", dealers);
        return lockKeys(keys).then(insert.fetch().rowsUpdated()).as(tx::transactional);
    }

    /**
     * The claim. Its numbers are bind parameters; its transaction plans it for their values
     * ({@link #AT_LEAST_ONCE_TRANSACTION}): with a generic plan (which PostgreSQL switched to after a few
     * executions) a claim that takes 36 ms for its values ran for seconds under load.
     *
     * <p>A claim writes only columns no index covers (lease, attempts, time of the attempt), so the row's new
     * version can stay on its page (a HOT update) and enter no index. A claimed head keeps its place in
     * {@code partner_delivery_head} ({@code next_attempt_at} is when it became due); what makes it not due is its
     * live lease. So the front of a subscription's heads holds its leased rows (at most the in-flight cap of
     * them, all instances together) and then the free ones: reading twice the cap from there counts what is in
     * flight and finds what may be taken.
     */
    private static final String CLAIM = """
                        -- no "is there an older PENDING row of this key" check per candidate: only a head is ever
                        -- due (queueing parks the others, under the key's lock), and on a freshly filled table the
                        -- planner probed that check through the wrong index, a claim taking seconds
                        with due as materialized (
                            select w.delivery_id, w.rank
                            from partner_subscription s
                            cross join lateral (
                                select f.delivery_id, f.leased,
                                       count(*) filter (where f.leased) over () as in_flight,
                                       row_number() over (partition by f.leased order by f.next_attempt_at, f.seq) as rank
                                from (select d.delivery_id, d.next_attempt_at, d.seq,
                                             coalesce(d.lease_until > now(), false) as leased
                                      from partner_delivery d
                                      where d.subscription_id = s.subscription_id and d.state = 'PENDING'
                                        and d.next_attempt_at <= now()
                                      order by d.next_attempt_at, d.seq
                                      limit 2 * :perSubscription) f) w
                            where s.active and s.delivery = 'WEBHOOK'
                              and not w.leased and w.rank + w.in_flight <= :perSubscription),
                        picked as (
                            select p.delivery_id from partner_delivery p
                            join due on due.delivery_id = p.delivery_id
                            -- re-checked on the row's latest version once locked: another instance may just have claimed it
                            where p.state = 'PENDING' and p.next_attempt_at <= now()
                              and (p.lease_until is null or p.lease_until <= now())
                            order by due.rank, p.delivery_id
                            limit :batch
                            for update of p skip locked)
                        update partner_delivery d
                        set lease_until = now() + make_interval(secs => :leaseSeconds),
                            attempts = d.attempts + 1, last_attempt_at = now()
                        from picked, partner_subscription s
                        where d.delivery_id = picked.delivery_id and s.subscription_id = d.subscription_id
                        returning d.delivery_id, d.subscription_id, d.seq, d.event_id, d.event_type, d.ordering_key,
                                  d.payload, d.attempts, s.webhook_url, s.secret, s.max_attempts""";

    /**
     * Opens the claim's and the outcomes' transactions, both the same way. They commit without waiting for
     * the WAL flush ({@code synchronous_commit} off for these transactions only): a claim lost in a database
     * crash only means the attempt is made again, a lost outcome that a delivered event is delivered again,
     * which at-least-once with {@code Idempotency-Key} allows. Queueing keeps the synchronous commit: its
     * Kafka offset is acknowledged after it. And their statements are planned for the values bound to them
     * ({@code plan_cache_mode}), never with a generic plan.
     */
    private static final String AT_LEAST_ONCE_TRANSACTION = """
                        select set_config('synchronous_commit', 'off', true),
                               set_config('plan_cache_mode', 'force_custom_plan', true)""";

    /**
     * Claims due deliveries for one attempt each: heads of their keys only, at most {@code perSubscription}
     * in flight per subscription (so one slow partner cannot take every slot), skipping rows another
     * instance is claiming right now. A claimed row is not due again until its lease ends.
     */
    Flux<Claimed> claim(int batch, int perSubscription, long leaseMillis) {
        Flux<Claimed> claimed = db.sql(CLAIM)
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
        return atLeastOnceTransaction().thenMany(claimed).as(tx::transactional);
    }

    /**
     * How one attempt ended: {@code error} null when the partner took it; otherwise retried after
     * {@code backoffMillis}, or a dead letter after the subscription's last attempt.
     */
    record Outcome(Claimed claimed, String error, long backoffMillis) {
        static Outcome delivered(Claimed claimed) {
            return new Outcome(claimed, null, 0);
        }

        static Outcome failed(Claimed claimed, String error, long backoffMillis) {
            return new Outcome(claimed, error, backoffMillis);
        }

        String nextState() {
            if (error == null) {
                return "DELIVERED";
            }
            return claimed.attempts() >= claimed.maxAttempts() ? "DEAD" : "PENDING";
        }
    }

    /**
     * Writes the outcomes of a batch of attempts in one transaction and one statement: delivered, retried
     * later, or dead; for each key whose head was delivered or died, the next PENDING row becomes due. A row
     * no longer PENDING (another instance got there after a lapsed lease) is left as it is.
     */
    Mono<Long> record(List<Outcome> outcomes) {
        if (outcomes.isEmpty()) {
            return Mono.just(0L);
        }
        int n = outcomes.size();
        Long[] ids = new Long[n];
        String[] states = new String[n];
        String[] errors = new String[n];
        Double[] backoffSeconds = new Double[n];
        String[] keys = new String[n];
        for (int i = 0; i < n; i++) {
            Outcome outcome = outcomes.get(i);
            ids[i] = outcome.claimed().deliveryId();
            states[i] = outcome.nextState();
            errors[i] = outcome.error();
            backoffSeconds[i] = outcome.backoffMillis() / 1000.0;
            keys[i] = outcome.claimed().orderingKey();
        }
        Mono<Long> write = db.sql("""
                        with outcome as (
                            select * from unnest(:ids::bigint[], :states::text[], :errors::text[], :backoff::float8[])
                                as o(delivery_id, state, error, backoff_seconds)),
                        ended as (
                            update partner_delivery d
                            set state = o.state, lease_until = null, last_error = o.error,
                                delivered_at = case when o.state = 'DELIVERED' then now() end,
                                next_attempt_at = case when o.state = 'PENDING'
                                    then now() + make_interval(secs => o.backoff_seconds) else d.next_attempt_at end
                            from outcome o
                            where d.delivery_id = o.delivery_id and d.state = 'PENDING'
                            returning d.subscription_id, d.ordering_key, d.seq, d.state),
                        promoted as (
                            -- the statement's snapshot still shows the ended rows as PENDING: the next row of a
                            -- key is its oldest PENDING row after the one that ended
                            update partner_delivery h set next_attempt_at = now()
                            from ended e
                            where e.state <> 'PENDING'
                              and h.delivery_id = (select x.delivery_id from partner_delivery x
                                                   where x.subscription_id = e.subscription_id
                                                     and x.ordering_key = e.ordering_key
                                                     and x.state = 'PENDING' and x.seq > e.seq
                                                   order by x.seq limit 1)
                              and h.next_attempt_at = 'infinity'
                            returning h.delivery_id)
                        select (select count(*) from ended) as ended""")
                .bind("ids", ids)
                .bind("states", states)
                .bind("errors", errors)
                .bind("backoff", backoffSeconds)
                .map(row -> row.get("ended", Long.class))
                .one();
        return atLeastOnceTransaction().then(lockKeys(keys)).then(write).as(tx::transactional);
    }

    /** See {@link #AT_LEAST_ONCE_TRANSACTION}; the first statement of the claim's and the outcomes' transactions. */
    private Mono<Void> atLeastOnceTransaction() {
        return db.sql(AT_LEAST_ONCE_TRANSACTION).fetch().all().then();
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

    /**
     * Takes the advisory lock of each ordering key (queueing and completing serialise per key), in one
     * order for every transaction, so two batches sharing keys wait for each other instead of deadlocking.
     * PostgreSQL evaluates a volatile select list after the sort, so the locks are taken in that order.
     */
    private Mono<Void> lockKeys(String[] orderingKeys) {
        return db.sql("""
                        select pg_advisory_xact_lock(k.hash)
                        from (select distinct hashtextextended(key, 0) as hash from unnest(:keys::text[]) as key) k
                        order by k.hash""")
                .bind("keys", orderingKeys)
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
