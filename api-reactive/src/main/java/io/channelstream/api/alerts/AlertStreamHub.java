package io.channelstream.api.alerts;

import io.channelstream.api.security.AccessPolicy;
import io.channelstream.api.security.Caller;
import java.time.Duration;
import io.channelstream.regions.RegionTree;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;
import tools.jackson.databind.ObjectMapper;

/**
 * This instance's live alert streams. One pump per instance reads new inbox changes in change order
 * (woken by {@link AlertFanOut} announcements, and by a safety poll) and hands each to the connected
 * listeners whose scope covers it. Listeners are indexed by scope (everything, a region, a dealer), so an
 * alert is matched only against the listeners of its own region and that region's ancestors in the region
 * tree, its dealer, and HQ, never against every listener. Each alert is encoded once; a listener receives
 * the changes of one read as one batch (one write and flush per client per read).
 *
 * <p>A listener has a bounded buffer: a client that cannot keep up is not allowed to slow the pump or
 * anyone else; when its buffer is full it is told to resync (it receives what was queued, then a
 * {@link SlowListenerException}) and reconnects with {@code Last-Event-ID}, catching up from the inbox at
 * its own pace. The pump hands changes out on a thread of its own, never on the database driver's.
 */
@Component
public class AlertStreamHub implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(AlertStreamHub.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final AlertInbox inbox;
    private final AlertFanOut fanOut;
    private final AccessPolicy access;
    private final RegionTree regions;
    private final AlertSettings settings;
    private final ObjectMapper json;

    private final Object lock = new Object();
    /** Highest change number handed to listeners; listeners registered now receive what comes after it. */
    private long watermark;
    /**
     * Listeners by what their scope is made of. Each list is copied on change: a listener may end (and
     * unregister) while the pump is handing it a change, on the pump's own thread, so delivery iterates a
     * snapshot. Changed and read under {@link #lock}.
     */
    private final List<Listener> seeingEverything = new CopyOnWriteArrayList<>();
    private final Map<String, List<Listener>> byRegion = new HashMap<>();
    private final Map<String, List<Listener>> byDealer = new HashMap<>();
    private int listenerCount;
    /** Pump requests not yet served: announcements arriving while a read runs coalesce into one more read. */
    private final AtomicInteger pumpRequests = new AtomicInteger();
    /**
     * When the next read may begin (System.nanoTime): the latest read's start plus a pause that grows with the
     * client writes that read made (see {@link #pauseNanos}). Reads run one at a time, so one writer at a time.
     */
    private volatile long nextReadNanos = System.nanoTime();
    private final Scheduler fanOutThread = Schedulers.newSingle("alert-fan-out", true);
    private volatile Disposable triggers;

    public AlertStreamHub(AlertInbox inbox, AlertFanOut fanOut, AccessPolicy access, RegionTree regions,
                          AlertSettings settings, ObjectMapper json) {
        this.json = json;
        this.inbox = inbox;
        this.fanOut = fanOut;
        this.access = access;
        this.regions = regions;
        this.settings = settings;
    }

    /**
     * A connected stream client: what it may see, and its bounded buffer of alerts not yet written to it
     * (counted from the moment the pump queues them until the connection has taken them).
     */
    public final class Listener {
        private final Caller caller;
        private final long liveAfter;
        private final Sinks.Many<List<AlertChange>> queue = Sinks.many().unicast().onBackpressureBuffer();
        private final AtomicInteger buffered = new AtomicInteger();
        /** The pump's batch for this listener in the read being handed out; null between reads. */
        private List<AlertChange> pending;
        private long lastQueued;
        private boolean overflowed;

        private Listener(Caller caller, long liveAfter) {
            this.caller = caller;
            this.liveAfter = liveAfter;
            this.lastQueued = liveAfter;
        }

        /** Changes after this number reach the listener live; earlier ones come from the inbox. */
        public long liveAfter() {
            return liveAfter;
        }

        /**
         * Live changes in change order, in the batches the pump handed out; ends with {@link SlowListenerException}
         * if the buffer overflowed. A batch counts against the buffer until {@link #written} is called for it.
         */
        public Flux<List<AlertChange>> liveBatches() {
            return queue.asFlux();
        }

        /** The connection took a batch from {@link #liveBatches}: its room in the buffer is free again. */
        public void written(List<AlertChange> batch) {
            buffered.addAndGet(-batch.size());
        }

        /** Live changes one by one (taken as soon as they are read from here). */
        public Flux<AlertChange> live() {
            return queue.asFlux().doOnNext(this::written).flatMapIterable(batch -> batch);
        }

        /**
         * Called by the pump, under the hub's lock, for a change found through one of this listener's index
         * entries (so its scope covers it, see {@link #buckets}): adds it to this read's batch.
         */
        private boolean collect(AlertChange change) {
            if (overflowed || change.sequence() <= lastQueued
                    || (pending != null && pending.get(pending.size() - 1).sequence() >= change.sequence())) {
                return false; // found twice through the index (two of its regions contain the alert), or ended
            }
            boolean first = pending == null;
            if (first) {
                pending = new ArrayList<>();
            }
            pending.add(change);
            return first;
        }

        /** Called by the pump, under the hub's lock, once per read: one producer at a time, as the unicast queue needs. */
        private void flush() {
            List<AlertChange> batch = pending;
            pending = null;
            if (batch == null || overflowed) {
                return;
            }
            int room = settings.clientBufferEvents() - buffered.get();
            List<AlertChange> fits = batch.size() <= room ? batch : batch.subList(0, Math.max(room, 0));
            if (!fits.isEmpty()) {
                buffered.addAndGet(fits.size());
                if (queue.tryEmitNext(fits).isFailure()) {
                    return; // the stream ended; it unregisters itself
                }
                lastQueued = fits.get(fits.size() - 1).sequence();
            }
            if (fits.size() < batch.size()) {
                overflowed = true;
                // delivered after what is already queued, so the client's Last-Event-ID is exact
                queue.tryEmitError(new SlowListenerException(lastQueued, settings.clientBufferEvents()));
            }
        }
    }

    /** The client could not keep up: it got everything up to {@code lastQueued} and must resume from there. */
    public static final class SlowListenerException extends RuntimeException {
        private final long lastQueued;

        SlowListenerException(long lastQueued, int bufferEvents) {
            super("the stream fell " + bufferEvents + " alerts behind; reconnect with Last-Event-ID to resume "
                    + "from the inbox", null, false, false);
            this.lastQueued = lastQueued;
        }

        public long lastQueued() {
            return lastQueued;
        }
    }

    /** Registers a stream client for the changes after the current watermark. */
    public Listener register(Caller caller) {
        synchronized (lock) {
            Listener listener = new Listener(caller, watermark);
            buckets(caller).forEach(bucket -> bucket.add(listener));
            listenerCount++;
            return listener;
        }
    }

    public void unregister(Listener listener) {
        synchronized (lock) {
            boolean removed = false;
            for (List<Listener> bucket : buckets(listener.caller)) {
                removed |= bucket.remove(listener);
            }
            if (removed) {
                listenerCount--;
            }
            byRegion.values().removeIf(List::isEmpty);
            byDealer.values().removeIf(List::isEmpty);
        }
    }

    /**
     * The index entries a caller's listener lives in: what its scope is made of (under the lock). A region
     * or dealer becomes an entry only if {@link AccessPolicy#canSeeAlert} lets the caller see an alert of
     * that region or dealer; since every alert offered through a region's entry lies inside that region (the
     * pump walks the alert's region and its ancestors) and seeing a region means seeing what lies inside it,
     * the index decides visibility once per caller, not once per alert and listener.
     */
    private List<List<Listener>> buckets(Caller caller) {
        List<List<Listener>> buckets = new ArrayList<>();
        switch (caller.role()) {
            case HQ -> buckets.add(seeingEverything);
            case REGIONAL_MANAGER -> regionBuckets(caller, buckets);
            case DEALER -> dealerBuckets(caller, caller.dealerId() == null ? List.of() : List.of(caller.dealerId()),
                    buckets);
            case PARTNER -> {
                regionBuckets(caller, buckets);
                dealerBuckets(caller, caller.dealerIds(), buckets);
            }
        }
        return buckets;
    }

    private void regionBuckets(Caller caller, List<List<Listener>> buckets) {
        for (String code : caller.regionCodes()) {
            if (access.canSeeAlert(caller, code, null)) {
                buckets.add(bucket(byRegion, code));
            }
        }
    }

    private void dealerBuckets(Caller caller, List<String> dealers, List<List<Listener>> buckets) {
        for (String dealer : dealers) {
            if (access.canSeeAlert(caller, null, dealer)) {
                buckets.add(bucket(byDealer, dealer));
            }
        }
    }

    private static List<Listener> bucket(Map<String, List<Listener>> index, String key) {
        return index.computeIfAbsent(key, any -> new CopyOnWriteArrayList<>());
    }

    /** The highest change number handed to listeners so far. */
    public long deliveredThrough() {
        synchronized (lock) {
            return watermark;
        }
    }

    public int listenerCount() {
        synchronized (lock) {
            return listenerCount;
        }
    }

    /** Asks for a read of new inbox changes; requests during a read coalesce into one more read. */
    void pump() {
        if (pumpRequests.getAndIncrement() == 0) {
            readSoon(1);
        }
    }

    /**
     * Reads now, or once the pause after the latest read has passed: under load each client then gets the
     * alerts of that pause in one write and flush instead of a few per wake-up.
     */
    private void readSoon(int served) {
        long waitNanos = nextReadNanos - System.nanoTime();
        if (waitNanos <= 0) {
            read(served);
        } else {
            fanOutThread.schedule(() -> read(served), waitNanos, TimeUnit.NANOSECONDS);
        }
    }

    /**
     * How long after a read's start the next one waits, given the client writes (listeners handed a batch) that
     * read made: as long as those writes take of the pump's budget of {@code pump-writes-per-second}, within
     * {@code pump-min-interval-millis} and {@code pump-max-interval-millis}. A read that reached few clients
     * (few listeners, or a quiet moment) is followed closely; one that wrote to thousands is followed after up to
     * the maximum, so each client's next write carries that many more alerts, for at most the maximum pause in
     * added latency (at 5,000 listeners, together with the direct frames, the p99 fell by a third to a half
     * against a fixed 50 ms; see docs/benchmarks.md).
     */
    long pauseNanos(int writes) {
        long budgetNanos = writes * 1_000_000_000L / Math.max(1, settings.pumpWritesPerSecond());
        return Math.min(Math.max(budgetNanos, Duration.ofMillis(settings.pumpMinIntervalMillis()).toNanos()),
                Duration.ofMillis(settings.pumpMaxIntervalMillis()).toNanos());
    }

    private void read(int served) {
        long startedNanos = System.nanoTime();
        nextReadNanos = startedNanos + pauseNanos(0);
        long after;
        synchronized (lock) {
            after = watermark;
        }
        inbox.changesAfter(after, settings.readPageSize()).publishOn(fanOutThread).subscribe(
                changes -> {
                    nextReadNanos = startedNanos + pauseNanos(deliver(changes));
                    if (changes.size() == settings.readPageSize()) {
                        read(served); // a full page: there is more right now
                        return;
                    }
                    finishRead(served);
                },
                error -> {
                    log.warn("reading inbox changes after {} failed; the next announcement or poll retries",
                            after, error);
                    finishRead(served);
                });
    }

    private void finishRead(int served) {
        int waiting = pumpRequests.addAndGet(-served);
        if (waiting != 0) {
            readSoon(waiting);
        }
    }

    /** Hands the changes to their listeners; returns how many listeners got a batch (one write each). */
    private int deliver(List<AlertView> changes) {
        synchronized (lock) {
            List<Listener> touched = new ArrayList<>();
            for (AlertView alert : changes) {
                if (alert.sequence() <= watermark) {
                    continue;
                }
                AlertChange change = AlertChange.of(alert, json.writeValueAsString(alert));
                collect(seeingEverything, change, touched);
                // the alert's region and each of its ancestors: exactly the regions whose listeners may contain it
                for (String code = alert.regionCode(); code != null && regions.exists(code);
                     code = regions.region(code).map(RegionTree.Region::parentCode).orElse(null)) {
                    collect(byRegion.get(code), change, touched);
                }
                if (alert.dealerId() != null) {
                    collect(byDealer.get(alert.dealerId()), change, touched);
                }
                watermark = alert.sequence();
            }
            touched.forEach(Listener::flush);
            return touched.size();
        }
    }

    private static void collect(List<Listener> bucket, AlertChange change, List<Listener> touched) {
        if (bucket == null) {
            return;
        }
        for (Listener listener : bucket) {
            if (listener.collect(change)) {
                touched.add(listener);
            }
        }
    }

    @Override
    public synchronized void start() {
        // on the start-up thread, before any client can connect
        Long latest = inbox.latestChange().block(START_TIMEOUT);
        synchronized (lock) {
            watermark = latest == null ? 0 : latest;
        }
        Flux<Long> announced = fanOut.announcements()
                .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(settings.retryBackoffMillis()))
                        .maxBackoff(Duration.ofSeconds(10))
                        .doBeforeRetry(signal -> log.warn("alert announcements from Redis interrupted; resubscribing",
                                signal.failure())));
        Flux<Long> polled = Flux.interval(Duration.ofMillis(settings.safetyPollMillis()));
        triggers = Flux.merge(announced, polled).subscribe(any -> pump());
        log.info("alert stream hub started at change {}", watermark);
    }

    @Override
    public synchronized void stop() {
        if (triggers != null) {
            triggers.dispose();
            triggers = null;
        }
        synchronized (lock) {
            Set<Listener> all = new HashSet<>(seeingEverything);
            byRegion.values().forEach(all::addAll);
            byDealer.values().forEach(all::addAll);
            all.forEach(listener -> listener.queue.tryEmitComplete());
            seeingEverything.clear();
            byRegion.clear();
            byDealer.clear();
            listenerCount = 0;
        }
    }

    @Override
    public boolean isRunning() {
        return triggers != null;
    }
}
