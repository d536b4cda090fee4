package io.channelstream.api.alerts;

import io.channelstream.api.security.AccessPolicy;
import io.channelstream.api.security.Caller;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.util.retry.Retry;
import tools.jackson.databind.ObjectMapper;

/**
 * This instance's live alert streams. One pump per instance reads new inbox changes in change order
 * (woken by {@link AlertFanOut} announcements, and by a safety poll) and hands each to every connected
 * listener whose scope covers it. A listener has a bounded queue: a client that cannot keep up is not
 * allowed to slow the pump or anyone else; when its queue is full it is told to resync (it receives what
 * was queued, then a {@link SlowListenerException}) and reconnects with {@code Last-Event-ID}, catching up
 * from the inbox at its own pace.
 */
@Component
public class AlertStreamHub implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(AlertStreamHub.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final AlertInbox inbox;
    private final AlertFanOut fanOut;
    private final AccessPolicy access;
    private final AlertSettings settings;
    private final ObjectMapper json;

    private final Object lock = new Object();
    /** Highest change number handed to listeners; listeners registered now receive what comes after it. */
    private long watermark;
    /**
     * Copied on change: a listener may end (and unregister) while the pump is handing it a change, on the
     * pump's own thread, so delivery iterates a snapshot.
     */
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    /** Pump requests not yet served: announcements arriving while a read runs coalesce into one more read. */
    private final AtomicInteger pumpRequests = new AtomicInteger();
    private volatile Disposable triggers;

    public AlertStreamHub(AlertInbox inbox, AlertFanOut fanOut, AccessPolicy access, AlertSettings settings,
                          ObjectMapper json) {
        this.json = json;
        this.inbox = inbox;
        this.fanOut = fanOut;
        this.access = access;
        this.settings = settings;
    }

    /** A connected stream client: what it may see, and its bounded queue of alerts not yet written to it. */
    public final class Listener {
        private final Predicate<AlertView> scope;
        private final long liveAfter;
        private final Sinks.Many<AlertChange> queue;
        private long lastQueued;
        private boolean overflowed;

        private Listener(Predicate<AlertView> scope, long liveAfter) {
            this.scope = scope;
            this.liveAfter = liveAfter;
            this.lastQueued = liveAfter;
            this.queue = Sinks.many().unicast().onBackpressureBuffer(
                    new ArrayBlockingQueue<>(settings.clientBufferEvents()));
        }

        /** Changes after this number reach the listener live; earlier ones come from the inbox. */
        public long liveAfter() {
            return liveAfter;
        }

        /** Live changes in change order; ends with {@link SlowListenerException} if the queue overflowed. */
        public Flux<AlertChange> live() {
            return queue.asFlux();
        }

        /** Called by the pump, under the hub's lock: one producer at a time, as the unicast queue needs. */
        private void offer(AlertChange change) {
            if (overflowed || !scope.test(change.alert())) {
                return;
            }
            Sinks.EmitResult result = queue.tryEmitNext(change);
            if (result.isSuccess()) {
                lastQueued = change.sequence();
            } else if (result == Sinks.EmitResult.FAIL_OVERFLOW || result == Sinks.EmitResult.FAIL_ZERO_SUBSCRIBER) {
                // a full queue reads FAIL_ZERO_SUBSCRIBER while the stream is still sending its backlog
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
        Predicate<AlertView> scope = alert -> access.canSeeAlert(caller, alert.regionCode(), alert.dealerId());
        synchronized (lock) {
            Listener listener = new Listener(scope, watermark);
            listeners.add(listener);
            return listener;
        }
    }

    public void unregister(Listener listener) {
        synchronized (lock) {
            listeners.remove(listener);
        }
    }

    /** The highest change number handed to listeners so far. */
    public long deliveredThrough() {
        synchronized (lock) {
            return watermark;
        }
    }

    public int listenerCount() {
        synchronized (lock) {
            return listeners.size();
        }
    }

    /** Asks for a read of new inbox changes; requests during a read coalesce into one more read. */
    void pump() {
        if (pumpRequests.getAndIncrement() == 0) {
            read(1);
        }
    }

    private void read(int served) {
        long after;
        synchronized (lock) {
            after = watermark;
        }
        inbox.changesAfter(after, settings.readPageSize()).subscribe(
                changes -> {
                    deliver(changes);
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
            read(waiting);
        }
    }

    private void deliver(List<AlertView> changes) {
        synchronized (lock) {
            for (AlertView alert : changes) {
                if (alert.sequence() <= watermark) {
                    continue;
                }
                AlertChange change = new AlertChange(alert, json.writeValueAsString(alert));
                for (Listener listener : listeners) {
                    listener.offer(change);
                }
                watermark = alert.sequence();
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
            listeners.forEach(listener -> listener.queue.tryEmitComplete());
            listeners.clear();
        }
    }

    @Override
    public boolean isRunning() {
        return triggers != null;
    }
}
