package io.channelstream.api.ratelimit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Fixed-window request counts shared by every instance through Redis, counted here first. A request is decided
 * at once from what this instance knows: the window's count as Redis last reported it plus what this instance
 * admitted since. What it admitted goes to Redis in one script call for all keys every {@code flushInterval}
 * (100 ms by default), and the answer (each key's shared count) updates what it knows. So thousands of requests
 * a second cost a handful of Redis calls, not one each.
 *
 * <p>Bounds. One instance alone never admits more than the limit in a window (its own admissions are always in
 * its view). Across instances, each holds at most {@code cap = max(1, limit / }{@value #UNCONFIRMED_SHARE}{@code )}
 * admissions Redis has not confirmed (1 for a limit of 20, 5 for 100); a request beyond that waits for Redis (a
 * flush is sent at once) and is decided by its own place in the shared count, exactly. Hence, with {@code I}
 * instances, a key is admitted at most {@code limit + 2 × I × cap} times in one window: at most {@code I × cap}
 * admissions unconfirmed when the shared count reaches the limit, and at most {@code cap} more per instance
 * before its next answer shows the limit reached. Windows are aligned to the clock ({@code epoch millis /
 * window}), so every instance counts the same window; instances' clocks that differ shift their boundaries
 * by as much (fixed windows allow twice the limit across a boundary anyway).
 *
 * <p>Requests refused here are not counted; one that waited for Redis and is refused by its answer was
 * counted there already (it was sent before it could be decided), so a busy key's shared count may exceed the
 * limit by such waiters (it admits nobody more: a count past the limit refuses the same as one at it). When
 * Redis does not answer, what was sent counts as admitted and waiting requests pass (availability first), and a warning is logged.
 */
public final class SharedWindowCounts implements AutoCloseable {

    /** An instance may admit up to limit / this without Redis' confirmation. */
    static final int UNCONFIRMED_SHARE = 20;
    /** Keys per script call. */
    private static final int MAX_KEYS_PER_CALL = 1_000;

    private static final Logger log = LoggerFactory.getLogger(SharedWindowCounts.class);

    // KEYS: the windows' keys; ARGV: per key, the increment and the key's time to live in ms (set when created).
    // Returns each key's count after its increment.
    @SuppressWarnings("rawtypes")
    private static final RedisScript<List> ADD = RedisScript.of("""
            local counts = {}
            for i = 1, #KEYS do
              local by = tonumber(ARGV[2 * i - 1])
              local count = redis.call('INCRBY', KEYS[i], by)
              if count == by then redis.call('PEXPIRE', KEYS[i], ARGV[2 * i]) end
              counts[i] = count
            end
            return counts
            """, List.class);

    /** Admitted, with the requests left in the window as this instance sees them; or refused, with when to retry. */
    public record Verdict(boolean admitted, long remaining, long retryAfterMillis) {}

    private final ReactiveStringRedisTemplate redis;
    private final String keyPrefix;
    private final LongSupplier clockMillis;
    private final Map<String, Tally> tallies = new ConcurrentHashMap<>();
    private final Queue<Tally> dirty = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean flushSoon = new AtomicBoolean();
    private final Scheduler flusher = Schedulers.newSingle("rate-limit-flush", true);
    private final Disposable periodic;

    public SharedWindowCounts(ReactiveStringRedisTemplate redis, String keyPrefix, Duration flushInterval,
                              LongSupplier clockMillis) {
        this.redis = redis;
        this.keyPrefix = keyPrefix;
        this.clockMillis = clockMillis;
        long every = Math.max(1, flushInterval.toMillis());
        this.periodic = flusher.schedulePeriodically(this::flush, every, every, TimeUnit.MILLISECONDS);
    }

    /** A request waiting for Redis to place it in the shared count. */
    private record Waiter(Sinks.One<Verdict> verdict) {}

    /** One key's window as this instance knows it. Guarded by itself. */
    private static final class Tally {
        final String key;
        final int limit;
        final long windowMillis;
        final long windowEndMillis;
        /** The shared count as Redis last reported it. */
        long known;
        /** Admitted (or waiting) here, not yet sent to Redis. */
        int unsent;
        /** Sent to Redis, not yet answered. */
        int sending;
        /** Requests among {@link #unsent} waiting for their place in the shared count (the last of them). */
        List<Waiter> waiters = List.of();
        boolean queued;
        boolean retired;

        Tally(String key, int limit, long windowMillis, long windowEndMillis) {
            this.key = key;
            this.limit = limit;
            this.windowMillis = windowMillis;
            this.windowEndMillis = windowEndMillis;
        }
    }

    /** Counts one request of {@code bucket}, allowed {@code limit} requests per {@code window}. Never empty. */
    public Mono<Verdict> count(String bucket, int limit, Duration window) {
        long now = clockMillis.getAsLong();
        long windowMillis = window.toMillis();
        long index = Math.floorDiv(now, windowMillis);
        long end = (index + 1) * windowMillis;
        String key = keyPrefix + windowMillis + ":" + bucket + ":" + index;
        int cap = Math.max(1, limit / UNCONFIRMED_SHARE);
        while (true) {
            Tally tally = tallies.computeIfAbsent(key, k -> new Tally(k, limit, windowMillis, end));
            Sinks.One<Verdict> waiting;
            synchronized (tally) {
                if (tally.retired) {
                    continue;
                }
                long used = tally.known + tally.sending + tally.unsent;
                if (used >= limit) {
                    return Mono.just(new Verdict(false, 0, Math.max(1, end - now)));
                }
                tally.unsent++;
                queue(tally);
                if (tally.sending + tally.unsent <= cap) {
                    return Mono.just(new Verdict(true, limit - used - 1, 0));
                }
                waiting = Sinks.one();
                if (tally.waiters.isEmpty()) {
                    tally.waiters = new ArrayList<>(2);
                }
                tally.waiters.add(new Waiter(waiting));
            }
            if (flushSoon.compareAndSet(false, true)) {
                flusher.schedule(() -> {
                    flushSoon.set(false);
                    flush();
                });
            }
            return waiting.asMono();
        }
    }

    private void queue(Tally tally) {
        if (!tally.queued) {
            tally.queued = true;
            dirty.add(tally);
        }
    }

    /** What one tally sent in a call: how many, and which of them wait (the last ones). */
    private record Sent(Tally tally, int count, List<Waiter> waiters) {}

    /** Sends what was admitted since the last call, for every key, and forgets the windows that ended. */
    void flush() {
        long now = clockMillis.getAsLong();
        List<Sent> sent = new ArrayList<>();
        for (Tally tally; (tally = dirty.poll()) != null; ) {
            synchronized (tally) {
                tally.queued = false;
                if (tally.unsent == 0) {
                    continue;
                }
                sent.add(new Sent(tally, tally.unsent, tally.waiters));
                tally.sending += tally.unsent;
                tally.unsent = 0;
                tally.waiters = List.of();
            }
            if (sent.size() == MAX_KEYS_PER_CALL) {
                send(List.copyOf(sent), now);
                sent.clear();
            }
        }
        if (!sent.isEmpty()) {
            send(sent, now);
        }
        tallies.values().removeIf(tally -> {
            synchronized (tally) {
                if (tally.windowEndMillis < now - 1_000 && tally.unsent == 0 && tally.sending == 0) {
                    tally.retired = true;
                }
                return tally.retired;
            }
        });
    }

    @SuppressWarnings("unchecked")
    private void send(List<Sent> sent, long now) {
        List<String> keys = new ArrayList<>(sent.size());
        List<String> args = new ArrayList<>(sent.size() * 2);
        for (Sent one : sent) {
            keys.add(one.tally().key);
            args.add(Integer.toString(one.count()));
            // outlives its window by one window, for clocks that differ
            args.add(Long.toString(Math.max(1, one.tally().windowEndMillis - now) + one.tally().windowMillis));
        }
        redis.execute(ADD, keys, args)
                .next()
                .subscribe(counts -> answered(sent, (List<Long>) counts), failure -> {
                    log.warn("rate limits of {} keys not shared: Redis did not answer ({})", sent.size(),
                            failure.toString());
                    answered(sent, null);
                });
    }

    /** Takes in Redis' counts (null when it did not answer) and decides the waiting requests by their place. */
    private void answered(List<Sent> sent, List<Long> counts) {
        for (int i = 0; i < sent.size(); i++) {
            Sent one = sent.get(i);
            Tally tally = one.tally();
            long count;
            synchronized (tally) {
                tally.sending -= one.count();
                if (counts == null || i >= counts.size()) {
                    count = -1;
                } else {
                    count = counts.get(i);
                    tally.known = Math.max(tally.known, count);
                }
            }
            // the waiting requests are given the top places of what was sent (they came last, or a local admission
            // that came after them is counted below them: never more admitted than the places allow)
            int waiting = one.waiters().size();
            for (int w = 0; w < waiting; w++) {
                Verdict verdict;
                if (count < 0) {
                    verdict = new Verdict(true, 0, 0);
                } else {
                    long place = count - waiting + 1 + w;
                    verdict = place <= tally.limit ? new Verdict(true, tally.limit - place, 0)
                            : new Verdict(false, 0, Math.max(1, tally.windowEndMillis - clockMillis.getAsLong()));
                }
                one.waiters().get(w).verdict().tryEmitValue(verdict);
            }
        }
    }

    @Override
    public void close() {
        periodic.dispose();
        flush();
        flusher.dispose();
    }
}
