package io.channelstream.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.channelstream.events.MovementKind;
import io.channelstream.events.StockMovementRecorded;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class OccurredAtTimestampExtractorTest {

    private final OccurredAtTimestampExtractor extractor = new OccurredAtTimestampExtractor();

    @Test
    void eventTimeIsWhenTheFactHappenedNotWhenTheBrokerGotIt() {
        Instant happened = Instant.parse("2026-11-20T09:30:00Z");
        StockMovementRecorded sale = StockMovementRecorded.newBuilder()
                .setEventId("e1").setOccurredAt(happened).setSource("test").setLocationId("L").setSku("S")
                .setBatch("B").setKind(MovementKind.SALE).setQuantity(1).build();

        long extracted = extractor.extract(record(sale, Instant.parse("2026-11-22T00:00:00Z").toEpochMilli()), 0);

        assertThat(extracted).isEqualTo(happened.toEpochMilli());
    }

    @Test
    void aValueWithoutOccurredAtKeepsTheBrokerTimestamp() {
        assertThat(extractor.extract(record("raw", 1234L), 99L)).isEqualTo(1234L);
        assertThat(extractor.extract(record(null, -1L), 99L)).isEqualTo(99L);
    }

    private static ConsumerRecord<Object, Object> record(Object value, long timestamp) {
        return new ConsumerRecord<>("t", 0, 0L, timestamp, TimestampType.CREATE_TIME, 0, 0, "k", value,
                new RecordHeaders(), Optional.empty());
    }
}
