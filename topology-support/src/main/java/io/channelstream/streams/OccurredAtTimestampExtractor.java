package io.channelstream.streams;

import java.time.Instant;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * Event time is the moment the fact happened ({@code occurredAt}), not when the broker received it:
 * a dealer's system that uploads a day of sales at night must land them on the day they happened.
 * A record without the field (raw bytes, tombstones) keeps the stream time so it never moves time
 * backwards or stalls the task.
 */
public final class OccurredAtTimestampExtractor implements TimestampExtractor {

    public static final String FIELD = "occurredAt";

    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        if (record.value() instanceof SpecificRecord event) {
            Schema.Field field = event.getSchema().getField(FIELD);
            if (field != null && event.get(field.pos()) instanceof Instant occurredAt) {
                return occurredAt.toEpochMilli();
            }
        }
        long brokerTime = record.timestamp();
        return brokerTime >= 0 ? brokerTime : Math.max(partitionTime, 0);
    }
}
