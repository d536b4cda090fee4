package io.channelstream.api.subscriptions;

import io.channelstream.api.config.ChannelstreamProperties;
import io.channelstream.api.kafka.EventSubscriber;
import io.channelstream.api.kafka.EventSubscriber.ReceivedEvent;
import io.channelstream.api.masterdata.Location;
import io.channelstream.api.masterdata.LocationDirectory;
import io.channelstream.events.Alert;
import io.channelstream.events.InventoryPosition;
import io.channelstream.events.OrderCancelled;
import io.channelstream.events.OrderEvent;
import io.channelstream.events.OrderPlaced;
import io.channelstream.events.ScanRecorded;
import io.channelstream.events.ScannerRole;
import io.channelstream.events.ShipmentDispatched;
import io.channelstream.regions.RegionTree;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;
import tools.jackson.databind.ObjectMapper;

/**
 * Follows the topics partners may subscribe to and queues each event in the {@link DeliveryOutbox} for the
 * subscriptions it matches. One consumer group per topic for the whole application, so each event is
 * queued by one instance; its offset is acknowledged only after the outbox transaction commits.
 * Events of one key arrive in order on one partition and are queued in that order (a batch of events
 * in one transaction, in the order read), which is the order partners receive them in.
 */
@Component
public class PartnerFeed implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(PartnerFeed.class);

    private final EventSubscriber subscriber;
    private final DeliveryOutbox outbox;
    private final LocationDirectory locations;
    private final RegionTree regions;
    private final ObjectMapper json;
    private final WebhookDispatcher dispatcher;
    private final WebhookSettings settings;
    private final String groupPrefix;
    private final List<Disposable> running = new ArrayList<>();

    public PartnerFeed(EventSubscriber subscriber, DeliveryOutbox outbox, LocationDirectory locations,
                       RegionTree regions, ObjectMapper json, WebhookDispatcher dispatcher,
                       WebhookSettings settings, ChannelstreamProperties properties) {
        this.settings = settings;
        this.subscriber = subscriber;
        this.outbox = outbox;
        this.locations = locations;
        this.regions = regions;
        this.json = json;
        this.dispatcher = dispatcher;
        this.groupPrefix = properties.streams().applicationIdPrefix() + "-partner-feed-";
    }

    /** Where an event belongs, for matching subscription filters. */
    record Scope(String regionCode, String dealerId) {
        static final Scope NONE = new Scope(null, null);
    }

    @Override
    public synchronized void start() {
        for (PartnerEventType type : PartnerEventType.values()) {
            running.add(follow(type));
        }
        log.info("partner feed started ({} topics)", PartnerEventType.values().length);
    }

    /** A received event and what it queues (nothing, for an event that belongs nowhere). */
    private record Prepared(ReceivedEvent<? extends SpecificRecord> received, DeliveryOutbox.QueuedEvent queued) {}

    private Disposable follow(PartnerEventType type) {
        String group = groupPrefix + type.topic().name();
        return Flux.defer(() -> subscriber.subscribe(type.topic(), group))
                .concatMap(event -> prepare(type, event)
                        .map(queued -> new Prepared(event, queued))
                        .defaultIfEmpty(new Prepared(event, null)))
                // fair backpressure: a batch waits for the outbox instead of piling up in memory
                .bufferTimeout(settings.feedBatchSize(), Duration.ofMillis(settings.feedBatchWindowMillis()), true)
                .concatMap(this::queue)
                .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(500)).maxBackoff(Duration.ofSeconds(30))
                        .doBeforeRetry(signal -> log.warn("partner feed of {} failed; resuming from the committed "
                                + "offsets", type.topic().name(), signal.failure())))
                .subscribe();
    }

    /**
     * Queues a batch in one outbox transaction, in the order the events were read (the order partners
     * receive them in), then acknowledges every offset of the batch.
     */
    private Mono<Void> queue(List<Prepared> batch) {
        List<DeliveryOutbox.QueuedEvent> queued = batch.stream().map(Prepared::queued).filter(Objects::nonNull)
                .toList();
        return outbox.enqueue(queued)
                .doOnNext(rows -> {
                    if (rows > 0) {
                        dispatcher.nudge();
                    }
                })
                .then(Mono.fromRunnable(() -> batch.forEach(prepared -> prepared.received().acknowledge())));
    }

    private Mono<DeliveryOutbox.QueuedEvent> prepare(PartnerEventType type,
                                                     ReceivedEvent<? extends SpecificRecord> event) {
        SpecificRecord value = event.value();
        if (value == null) {
            return Mono.empty();
        }
        return scope(value).flatMap(scope -> {
            if (scope.regionCode() == null && scope.dealerId() == null) {
                return Mono.empty(); // no filter can match an event that belongs nowhere
            }
            String eventId = value.get(value.getSchema().getField("eventId").pos()).toString();
            Instant occurredAt = (Instant) value.get(value.getSchema().getField("occurredAt").pos());
            String payload = envelope(type, event.key(), eventId, occurredAt, value);
            return Mono.just(new DeliveryOutbox.QueuedEvent(type, type.name() + ":" + event.key(), eventId,
                    occurredAt, payload, regionPath(scope.regionCode()), scope.dealerId()));
        });
    }

    private Mono<Scope> scope(SpecificRecord value) {
        if (value instanceof Alert alert) {
            return Mono.just(new Scope(alert.getRegionCode(), alert.getDealerId()));
        }
        if (value instanceof OrderEvent order) {
            if (order.getPayload() instanceof OrderPlaced placed) {
                return Mono.just(new Scope(placed.getShipTo().getRegionCode(), placed.getDealerId()));
            }
            if (order.getPayload() instanceof OrderCancelled cancelled) {
                return Mono.just(new Scope(null, cancelled.getDealerId()));
            }
            return Mono.just(Scope.NONE);
        }
        if (value instanceof ShipmentDispatched shipment) {
            return atLocation(shipment.getToLocationId())
                    .map(to -> new Scope(to.regionCode(), shipment.getToDealerId() != null
                            ? shipment.getToDealerId() : to.dealerId()));
        }
        if (value instanceof InventoryPosition position) {
            return atLocation(position.getLocationId());
        }
        if (value instanceof ScanRecorded scan) {
            if (scan.getPlaceLocationId() != null) {
                return atLocation(scan.getPlaceLocationId())
                        .map(place -> new Scope(scan.getRegionCode() != null ? scan.getRegionCode() : place.regionCode(),
                                place.dealerId()));
            }
            return Mono.just(new Scope(scan.getRegionCode(), null));
        }
        return Mono.just(Scope.NONE);
    }

    private Mono<Scope> atLocation(String locationId) {
        return locations.find(locationId)
                .map((Location location) -> new Scope(location.regionCode(), location.dealerId()))
                .defaultIfEmpty(Scope.NONE);
    }

    /** The JSON partners receive: the event plus what it is; a consumer's position is personal and is left out. */
    private String envelope(PartnerEventType type, String key, String eventId, Instant occurredAt,
                            SpecificRecord value) {
        @SuppressWarnings("unchecked")
        Map<String, Object> data = (Map<String, Object>) AvroJson.plain(value);
        if (value instanceof ScanRecorded scan && scan.getScannerRole() == ScannerRole.CONSUMER) {
            data.remove("latitude");
            data.remove("longitude");
        }
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("eventId", eventId);
        envelope.put("eventType", type.name());
        envelope.put("key", key);
        envelope.put("occurredAt", occurredAt.toString());
        envelope.put("data", data);
        return json.writeValueAsString(envelope);
    }

    private String[] regionPath(String regionCode) {
        List<String> path = new ArrayList<>();
        for (String code = regionCode; code != null && regions.exists(code);
             code = regions.region(code).map(RegionTree.Region::parentCode).orElse(null)) {
            path.add(code);
        }
        return path.toArray(String[]::new);
    }

    @Override
    public synchronized void stop() {
        running.forEach(Disposable::dispose);
        running.clear();
    }

    @Override
    public boolean isRunning() {
        return !running.isEmpty();
    }
}
