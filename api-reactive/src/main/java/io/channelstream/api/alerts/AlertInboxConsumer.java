package io.channelstream.api.alerts;

import io.channelstream.api.config.ChannelstreamProperties;
import io.channelstream.api.kafka.EventSubscriber;
import io.channelstream.api.kafka.EventSubscriber.ReceivedEvent;
import io.channelstream.events.Alert;
import io.channelstream.schemas.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.util.retry.Retry;

/**
 * Feeds the inbox from topic {@code alerts}. One consumer group for the whole application
 * ({@code <applicationIdPrefix>-alert-inbox}), so each partition is read by one instance; the inbox then
 * tells every instance through {@link AlertFanOut}. Offsets are acknowledged only after the batch's
 * transaction commits, so a crash redelivers, and the inbox's idempotence (alert id = eventId) turns
 * that at-least-once delivery into exactly one row per alert.
 */
@Component
public class AlertInboxConsumer implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(AlertInboxConsumer.class);
    private static final Duration MAX_RETRY_BACKOFF = Duration.ofSeconds(30);

    private final EventSubscriber subscriber;
    private final AlertInbox inbox;
    private final AlertSettings settings;
    private final String groupId;
    private volatile Disposable running;

    public AlertInboxConsumer(EventSubscriber subscriber, AlertInbox inbox, AlertSettings settings,
                              ChannelstreamProperties properties) {
        this.subscriber = subscriber;
        this.inbox = inbox;
        this.settings = settings;
        this.groupId = properties.streams().applicationIdPrefix() + "-alert-inbox";
    }

    @Override
    public synchronized void start() {
        running = Flux.defer(() -> subscriber.subscribe(Topics.ALERTS, groupId))
                // fair backpressure: a batch waits for the inbox instead of piling up in memory
                .bufferTimeout(settings.inboxBatchSize(), Duration.ofMillis(settings.inboxBatchWindowMillis()), true)
                .concatMap(this::store)
                .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(settings.retryBackoffMillis()))
                        .maxBackoff(MAX_RETRY_BACKOFF)
                        .doBeforeRetry(signal -> log.warn("alert inbox consumer failed (attempt {}); resuming from "
                                + "the committed offsets", signal.totalRetries() + 1, signal.failure())))
                .subscribe();
        log.info("alert inbox consumer started (group {})", groupId);
    }

    private reactor.core.publisher.Mono<Long> store(List<ReceivedEvent<Alert>> batch) {
        List<Alert> alerts = batch.stream().map(ReceivedEvent::value).filter(Objects::nonNull).toList();
        return inbox.record(alerts).doOnSuccess(highest -> batch.forEach(ReceivedEvent::acknowledge));
    }

    @Override
    public synchronized void stop() {
        if (running != null) {
            running.dispose();
            running = null;
        }
    }

    @Override
    public boolean isRunning() {
        return running != null;
    }
}
