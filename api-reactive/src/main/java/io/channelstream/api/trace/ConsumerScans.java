package io.channelstream.api.trace;

import io.channelstream.api.kafka.EventPublisher;
import io.channelstream.events.ScanRecorded;
import io.channelstream.events.ScannerRole;
import io.channelstream.schemas.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Every public trace lookup is a fact: it is published to {@code scans} as a CONSUMER scan, which diversion
 * detection reads (a code scanned far from its bound region, or a code nobody ever shipped). The answer never
 * waits for it: a lookup queues its scan, and the queue goes to the producer as one batch at most
 * {@link #LINGER_MILLIS} later (up to {@link #MAX_BATCH} scans per batch), so thousands of lookups a second cost
 * a handful of publish calls, not one each.
 *
 * <p>A scan the broker refuses, or one dropped because {@link #MAX_SCANS_IN_FLIGHT} are already queued or waiting
 * for the broker (a broker outage), is logged and counted ({@code channelstream.trace.consumer_scans{outcome=
 * failed|dropped}}); the consumer still gets the answer. Scans still queued when the app stops are handed to the producer on
 * the way down (the producer, closed after this, flushes what it holds).
 */
@Component
public class ConsumerScans implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(ConsumerScans.class);
    static final String SOURCE = "api:public-trace";
    /** Scans queued or handed to the producer and not yet acknowledged, beyond which new ones are dropped. */
    static final int MAX_SCANS_IN_FLIGHT = 20_000;
    static final int MAX_BATCH = 1_000;
    /**
     * Scans wait this long to go together: a scan feeds diversion detection, for which 50 ms do not matter, and
     * each batch is spread over the topic's partitions, so the broker's and the topic's consumers' work goes with
     * the number of batches (5 ms until 2026-12-04: at 1,400 lookups/s, about one scan per partition a batch).
     */
    static final long LINGER_MILLIS = 50;

    private final EventPublisher publisher;
    /** A lookup as queued: what the scan event is made of, built on the batcher's thread. */
    private record Lookup(String code, String regionCode, Double latitude, Double longitude, long atMillis) {}

    private final Queue<Lookup> queued = new ConcurrentLinkedQueue<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final Scheduler batcher = Schedulers.newSingle("consumer-scans", true);
    private final Counter recorded;
    private final Counter failed;
    private final Counter dropped;

    public ConsumerScans(EventPublisher publisher, MeterRegistry meters) {
        this.publisher = publisher;
        this.recorded = counter(meters, "recorded");
        this.failed = counter(meters, "failed");
        this.dropped = counter(meters, "dropped");
    }

    private static Counter counter(MeterRegistry meters, String outcome) {
        return Counter.builder("channelstream.trace.consumer_scans")
                .description("Public trace lookups published as CONSUMER scans, by outcome")
                .tag("outcome", outcome)
                .register(meters);
    }

    /** Queues the lookup of a canonical code as a CONSUMER scan; returns at once. */
    public void record(String code, String regionCode, Double latitude, Double longitude) {
        if (inFlight.incrementAndGet() > MAX_SCANS_IN_FLIGHT) {
            inFlight.decrementAndGet();
            dropped.increment();
            log.warn("consumer scan of {} not recorded: {} scans already wait for the broker", code,
                    MAX_SCANS_IN_FLIGHT);
            return;
        }
        // the event is built (id, record) and encoded on the batcher's thread, not the lookup's
        queued.add(new Lookup(code, regionCode, latitude, longitude, System.currentTimeMillis()));
        if (drainScheduled.compareAndSet(false, true)) {
            batcher.schedule(this::publishQueued, LINGER_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    /** Hands what is queued to the producer, a batch at a time. */
    private void publishQueued() {
        drainScheduled.set(false);
        List<EventPublisher.Keyed<ScanRecorded>> batch = new ArrayList<>();
        for (Lookup lookup; batch.size() < MAX_BATCH && (lookup = queued.poll()) != null; ) {
            // the all-arguments constructor: the builder's per-field checks and defaults cost more than the rest
            batch.add(new EventPublisher.Keyed<>(lookup.code(), new ScanRecorded(UUID.randomUUID().toString(),
                    Instant.ofEpochMilli(lookup.atMillis()), SOURCE, lookup.code(), null, lookup.regionCode(),
                    lookup.latitude(), lookup.longitude(), ScannerRole.CONSUMER, null)));
        }
        if (!queued.isEmpty() && drainScheduled.compareAndSet(false, true)) {
            batcher.schedule(this::publishQueued);
        }
        if (batch.isEmpty()) {
            return;
        }
        publisher.publishAll(Topics.SCANS, batch).subscribe(outcome -> {
            inFlight.decrementAndGet();
            if (outcome.failure() == null) {
                recorded.increment();
            } else {
                failed.increment();
                log.warn("consumer scan of {} not recorded: {}", outcome.key(), outcome.failure().toString());
            }
        }, e -> log.warn("consumer scans not recorded: {}", e.toString()));
    }

    @Override
    public void destroy() {
        while (!queued.isEmpty()) {
            publishQueued();
        }
        batcher.dispose();
    }
}
