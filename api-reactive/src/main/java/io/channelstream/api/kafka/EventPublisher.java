package io.channelstream.api.kafka;

import io.channelstream.schemas.Topic;
import org.apache.avro.specific.SpecificRecord;
import reactor.core.publisher.Mono;

/**
 * The API's one way to put an event on Kafka. Completes when the broker has acknowledged the
 * record (acks=all, idempotent producer), so a 202 answer means the fact is durably accepted.
 */
public interface EventPublisher {

    <V extends SpecificRecord> Mono<PublishedEvent> publish(Topic<V> topic, String key, V value);

    /** Where an accepted event landed. */
    record PublishedEvent(String topic, int partition, long offset) {}
}
