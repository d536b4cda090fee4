package io.channelstream.simulator;

import io.channelstream.schemas.Topic;
import java.time.Instant;
import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;

/** One event bound for one catalogued topic, with its key. */
public record SimEvent(Topic<?> topic, String key, SpecificRecord value) {

    public SimEvent {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
    }

    /** Every Channelstream event carries its event time in {@code occurredAt}. */
    public Instant occurredAt() {
        return (Instant) value.get(value.getSchema().getField("occurredAt").pos());
    }

    public String eventId() {
        return (String) value.get(value.getSchema().getField("eventId").pos());
    }
}
