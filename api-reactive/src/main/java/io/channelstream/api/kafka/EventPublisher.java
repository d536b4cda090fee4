package io.channelstream.api.kafka;

import io.channelstream.schemas.Topic;
import org.apache.avro.specific.SpecificRecord;
import java.util.List;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The API's one way to put an event on Kafka. Completes when the broker has acknowledged the
 * record (acks=all, idempotent producer), so a 202 answer means the fact is durably accepted.
 */
public interface EventPublisher {

    <V extends SpecificRecord> Mono<PublishedEvent> publish(Topic<V> topic, String key, V value);

    /**
     * Publishes many events of one topic as one batch handed to the producer (one call, one subscription, not
     * one per event): for high-rate facts nobody waits on one by one. One outcome per event; the flux completes
     * when the broker has answered for all of them.
     */
    default <V extends SpecificRecord> Flux<Outcome> publishAll(Topic<V> topic, List<Keyed<V>> events) {
        return Flux.fromIterable(events).flatMap(event -> publish(topic, event.key(), event.value())
                .map(published -> new Outcome(event.key(), published, null))
                .onErrorResume(e -> Mono.just(new Outcome(event.key(), null, e))));
    }

    /** An event with its record key. */
    record Keyed<V>(String key, V value) {}

    /** What became of one event of {@link #publishAll}: where it landed, or why not. */
    record Outcome(String key, PublishedEvent published, Throwable failure) {}

    /** Where an accepted event landed. */
    record PublishedEvent(String topic, int partition, long offset) {}
}
