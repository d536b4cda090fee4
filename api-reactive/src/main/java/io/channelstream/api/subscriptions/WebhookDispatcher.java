package io.channelstream.api.subscriptions;

import io.channelstream.api.subscriptions.DeliveryOutbox.Claimed;
import io.netty.channel.ChannelOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

/**
 * Delivers queued webhook events. Every instance polls the outbox (and is nudged when its own feed
 * queued something), claims what is due within its free capacity, and POSTs each claimed event with
 * its signature; the outcome is written back (delivered, or retried after an exponential backoff with
 * jitter, or parked as a dead letter after the subscription's last attempt). Deliveries run
 * concurrently and independently: a partner that answers slowly occupies at most
 * {@code perSubscriptionInFlight} of this instance's {@code concurrency} slots.
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
    private final WebClient client;
    private final ConnectionProvider connections;
    /** Webhook I/O runs on loops of its own: thousands of partner connections never compete with the API's. */
    private final LoopResources loops;
    private final AtomicInteger inFlight = new AtomicInteger();
    /** Attempts under way; stopping cancels them, and their leases hand them to whichever instance polls next. */
    private final Set<Disposable> attempts = ConcurrentHashMap.newKeySet();
    private final Sinks.Many<Long> nudges = Sinks.many().multicast().directBestEffort();
    private volatile Disposable loop;
    private volatile Disposable sweeper;

    public WebhookDispatcher(DeliveryOutbox outbox, WebhookSettings settings, WebhookTargetGuard guard) {
        this.outbox = outbox;
        this.settings = settings;
        this.connections = ConnectionProvider.builder("webhooks").maxConnections(settings.concurrency() * 2).build();
        this.loops = LoopResources.create("webhooks", 1, true);
        HttpClient http = HttpClient.create(connections)
                .runOn(loops)
                .resolver(new GuardedAddressResolverGroup(guard))
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, settings.connectTimeoutMillis())
                .responseTimeout(Duration.ofMillis(settings.requestTimeoutMillis()))
                .followRedirect(false); // a redirect could point anywhere; partners give the final URL
        this.client = WebClient.builder().clientConnector(new ReactorClientHttpConnector(http)).build();
    }

    /** Something was queued: look now rather than at the next poll. Losing a nudge only costs one poll interval. */
    void nudge() {
        nudges.tryEmitNext(System.nanoTime());
    }

    @Override
    public synchronized void start() {
        loop = Flux.merge(Flux.interval(Duration.ofMillis(settings.pollMillis())), nudges.asFlux())
                .onBackpressureDrop()
                .concatMap(tick -> claimAndSend(), 1)
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
        return outbox.claim(Math.min(free, settings.claimBatchSize()), settings.perSubscriptionInFlight(),
                        settings.leaseMillis())
                .doOnNext(claimed -> {
                    inFlight.incrementAndGet();
                    Disposable[] running = new Disposable[1];
                    running[0] = attempt(claimed)
                            .doFinally(signal -> {
                                inFlight.decrementAndGet();
                                if (running[0] != null) {
                                    attempts.remove(running[0]);
                                }
                            })
                            .subscribe();
                    if (!running[0].isDisposed()) {
                        attempts.add(running[0]);
                    }
                })
                .then()
                .onErrorResume(e -> {
                    log.warn("claiming webhook deliveries failed; the next poll retries", e);
                    return Mono.empty();
                });
    }

    private Mono<Void> attempt(Claimed claimed) {
        long now = Instant.now().getEpochSecond();
        return client.post()
                .uri(claimed.webhookUrl())
                .contentType(MediaType.APPLICATION_JSON)
                .header(WebhookSignature.HEADER, WebhookSignature.header(claimed.secret(), now, claimed.payload()))
                .header(IDEMPOTENCY_HEADER, claimed.eventId())
                .header(EVENT_TYPE_HEADER, claimed.eventType())
                .header(SUBSCRIPTION_HEADER, claimed.subscriptionId())
                .header(ATTEMPT_HEADER, Integer.toString(claimed.attempts()))
                .bodyValue(claimed.payload())
                .exchangeToMono(response -> response.releaseBody().thenReturn(response.statusCode().value()))
                .timeout(Duration.ofMillis(settings.requestTimeoutMillis() + 1000))
                .map(status -> status >= 200 && status < 300 ? "" : "HTTP " + status)
                .onErrorResume(error -> Mono.just(describe(error)))
                .flatMap(error -> error.isEmpty()
                        ? outbox.delivered(claimed)
                        : outbox.failed(claimed, error, backoffMillis(claimed.attempts())))
                .onErrorResume(e -> {
                    // the outcome could not be written: the lease runs out and the event is attempted again
                    log.warn("recording the outcome of delivery {} failed", claimed.deliveryId(), e);
                    return Mono.empty();
                });
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
