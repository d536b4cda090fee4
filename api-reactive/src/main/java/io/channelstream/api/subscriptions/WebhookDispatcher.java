package io.channelstream.api.subscriptions;

import io.channelstream.api.subscriptions.DeliveryOutbox.Claimed;
import io.channelstream.api.subscriptions.DeliveryOutbox.Outcome;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.channel.ChannelOption;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;
import reactor.core.publisher.Sinks;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

/**
 * Delivers queued webhook events. Every instance polls the outbox (and is nudged when its own feed
 * queued something, or when attempts end and slots are free again), claims what is due within its free
 * capacity, and POSTs each claimed event with its signature over pooled keep-alive connections. Outcomes
 * (delivered, retried after an exponential backoff with jitter, or parked as a dead letter after the
 * subscription's last attempt) are written back in batches, one transaction per batch. Deliveries run
 * concurrently and independently: a partner that answers slowly occupies at most
 * {@code perSubscriptionInFlight} of this instance's {@code concurrency} slots; per-key order holds because
 * only the head of a key is ever claimed.
 */
@Component
public class WebhookDispatcher implements SmartLifecycle, DisposableBean {

    public static final String EVENT_TYPE_HEADER = "X-Channelstream-Event-Type";
    public static final String SUBSCRIPTION_HEADER = "X-Channelstream-Subscription";
    public static final String ATTEMPT_HEADER = "X-Channelstream-Attempt";
    /** The event's id: the same on every attempt, so the partner can drop a duplicate. */
    public static final String IDEMPOTENCY_HEADER = "Idempotency-Key";

    private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);

    private final DeliveryOutbox outbox;
    private final WebhookSettings settings;
    private final HttpClient http;
    private final ConnectionProvider connections;
    /** Webhook I/O runs on loops of its own: thousands of partner connections never compete with the API's. */
    private final LoopResources loops;
    /** Attempts claimed whose outcome is not written yet: the instance's slots in use. */
    private final AtomicInteger inFlight = new AtomicInteger();
    /** Attempts under way; stopping cancels them, and their leases hand them to whichever instance polls next. */
    private final Set<Disposable> attempts = ConcurrentHashMap.newKeySet();
    private final Sinks.Many<Long> nudges = Sinks.many().multicast().directBestEffort();
    /**
     * Outcomes on their way to the outbox. One batch is written at a time; what ends meanwhile waits here
     * and goes in the next batch, so batches grow with the rate and a lone outcome is written at once.
     */
    private final Queue<Outcome> unwritten = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean writing = new AtomicBoolean();
    private volatile Disposable loop;
    private volatile Disposable recorder;
    private volatile Disposable sweeper;

    public WebhookDispatcher(DeliveryOutbox outbox, WebhookSettings settings, WebhookTargetGuard guard) {
        this.outbox = outbox;
        this.settings = settings;
        // one keep-alive connection per attempt in flight, reused by the next attempt to the same partner
        this.connections = ConnectionProvider.builder("webhooks")
                .maxConnections(settings.concurrency() * 2)
                .pendingAcquireMaxCount(-1)
                .maxIdleTime(Duration.ofSeconds(30))
                .build();
        this.loops = LoopResources.create("webhooks", 1, true);
        this.http = HttpClient.create(connections)
                .runOn(loops)
                .resolver(new GuardedAddressResolverGroup(guard))
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, settings.connectTimeoutMillis())
                .responseTimeout(Duration.ofMillis(settings.requestTimeoutMillis()))
                .followRedirect(false); // a redirect could point anywhere; partners give the final URL
    }

    /** Something was queued, or slots came free: look now rather than at the next poll. Losing a nudge only costs one poll interval. */
    void nudge() {
        nudges.tryEmitNext(System.nanoTime());
    }

    @Override
    public synchronized void start() {
        // attempts of an earlier run were cancelled with their leases held; nothing of theirs is in flight here
        inFlight.set(0);
        unwritten.clear();
        writing.set(false);
        loop = Flux.merge(Flux.interval(Duration.ofMillis(settings.pollMillis())), nudges.asFlux())
                .onBackpressureDrop()
                // two claims may overlap (skip locked keeps them apart): one is prepared while the other returns
                .flatMap(tick -> claimAndSend(), 2, 1)
                .subscribe();
        sweeper = Flux.interval(Duration.ofMillis(settings.sweepMillis()))
                .onBackpressureDrop()
                .concatMap(tick -> outbox.promoteParkedHeads(null)
                        .then(outbox.purge(settings.retentionDays()))
                        .onErrorResume(e -> {
                            log.warn("outbox sweep failed; next sweep retries", e);
                            return Mono.empty();
                        }), 1)
                .subscribe();
    }

    private Mono<Void> claimAndSend() {
        int free = settings.concurrency() - inFlight.get();
        if (free <= 0) {
            return Mono.empty();
        }
        int wanted = Math.min(free, settings.claimBatchSize());
        AtomicInteger claimedCount = new AtomicInteger();
        return outbox.claim(wanted, settings.perSubscriptionInFlight(), settings.leaseMillis())
                .doOnNext(claimed -> {
                    claimedCount.incrementAndGet();
                    inFlight.incrementAndGet();
                    Disposable[] running = new Disposable[1];
                    running[0] = attempt(claimed)
                            .doFinally(signal -> {
                                if (running[0] != null) {
                                    attempts.remove(running[0]);
                                }
                            })
                            .subscribe(this::ended);
                    if (!running[0].isDisposed()) {
                        attempts.add(running[0]);
                    }
                })
                .then(Mono.fromRunnable(() -> {
                    // a full claim: more may be due right now, look again without waiting for the next poll
                    if (claimedCount.get() == wanted && inFlight.get() < settings.concurrency()) {
                        nudge();
                    }
                }))
                .then()
                .onErrorResume(e -> {
                    log.warn("claiming webhook deliveries failed; the next poll retries", e);
                    return Mono.empty();
                });
    }

    private void ended(Outcome outcome) {
        unwritten.add(outcome);
        writeOutcomes();
    }

    /** Starts writing the waiting outcomes unless a batch is being written (its end starts the next). */
    private void writeOutcomes() {
        if (loop == null || !writing.compareAndSet(false, true)) {
            return;
        }
        List<Outcome> batch = new ArrayList<>();
        for (Outcome outcome; batch.size() < settings.outcomeBatchSize() && (outcome = unwritten.poll()) != null; ) {
            batch.add(outcome);
        }
        if (batch.isEmpty()) {
            writing.set(false);
            if (!unwritten.isEmpty()) {
                writeOutcomes(); // one arrived between the poll and the reset
            }
            return;
        }
        recorder = record(batch)
                .doFinally(signal -> {
                    writing.set(false);
                    writeOutcomes();
                })
                .subscribe();
    }

    /** Writes a batch of outcomes, frees their slots and looks for more work. */
    private Mono<Void> record(List<Outcome> batch) {
        return outbox.record(batch)
                .onErrorResume(e -> {
                    // the outcomes could not be written: the leases run out and the events are attempted again
                    log.warn("recording the outcomes of {} deliveries failed; they are attempted again after their "
                            + "lease", batch.size(), e);
                    return Mono.empty();
                })
                .doFinally(signal -> {
                    if (signal != SignalType.CANCEL) { // cancelled by stop: start counts afresh
                        inFlight.addAndGet(-batch.size());
                        nudge();
                    }
                })
                .then();
    }

    /** One signed POST; never fails: a refused, failed or unanswered attempt is an outcome like a success. */
    private Mono<Outcome> attempt(Claimed claimed) {
        long now = Instant.now().getEpochSecond();
        byte[] body = claimed.payload().getBytes(StandardCharsets.UTF_8);
        String signature = WebhookSignature.header(claimed.secret(), now, body);
        return http.headers(headers -> headers
                        .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                        .set(WebhookSignature.HEADER, signature)
                        .set(IDEMPOTENCY_HEADER, claimed.eventId())
                        .set(EVENT_TYPE_HEADER, claimed.eventType())
                        .set(SUBSCRIPTION_HEADER, claimed.subscriptionId())
                        .set(ATTEMPT_HEADER, Integer.toString(claimed.attempts())))
                .post()
                .uri(claimed.webhookUrl())
                .send(Mono.fromSupplier(() -> Unpooled.wrappedBuffer(body)))
                // read the answer to its end, so the connection goes back to the pool for the next attempt
                .responseSingle((response, content) -> content.then(Mono.just(response.status().code())))
                .timeout(Duration.ofMillis(settings.requestTimeoutMillis() + 1000))
                .map(status -> status >= 200 && status < 300
                        ? Outcome.delivered(claimed)
                        : Outcome.failed(claimed, "HTTP " + status, backoffMillis(claimed.attempts())))
                .onErrorResume(error -> Mono.just(
                        Outcome.failed(claimed, describe(error), backoffMillis(claimed.attempts()))));
    }

    /** Exponential backoff with equal jitter: half the doubled delay, plus a random part of the other half. */
    long backoffMillis(int attempts) {
        long exponential = settings.initialBackoffMillis() << Math.min(attempts - 1, 30);
        long capped = Math.min(settings.maxBackoffMillis(), Math.max(exponential, settings.initialBackoffMillis()));
        return capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1);
    }

    private static String describe(Throwable error) {
        Throwable cause = error;
        while (cause.getCause() != null && cause.getCause() != cause) {
            if (cause instanceof WebhookTargetGuard.TargetRefusedException) {
                break;
            }
            cause = cause.getCause();
        }
        if (error instanceof TimeoutException || cause instanceof TimeoutException
                || cause.getClass().getSimpleName().contains("Timeout")) {
            return "no answer in time";
        }
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return message.length() > 500 ? message.substring(0, 500) : message;
    }

    @Override
    public synchronized void stop() {
        if (loop != null) {
            loop.dispose();
            loop = null;
        }
        if (sweeper != null) {
            sweeper.dispose();
            sweeper = null;
        }
        if (recorder != null) {
            recorder.dispose(); // outcomes not yet written: their leases run out and they are attempted again
            recorder = null;
        }
        // what is under way stays leased in the outbox: after the lease another poll attempts it again
        attempts.forEach(Disposable::dispose);
        attempts.clear();
    }

    @Override
    public void destroy() {
        connections.dispose();
        loops.dispose();
    }

    @Override
    public boolean isRunning() {
        return loop != null;
    }
}
