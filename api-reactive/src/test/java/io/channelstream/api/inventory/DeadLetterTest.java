package io.channelstream.api.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import io.channelstream.api.support.ApiIntegrationTest;
import io.channelstream.schemas.Topics;
import io.channelstream.streams.DeadLetterHandler;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

/**
 * Bytes the topology cannot read land on the dead-letter topic with the reason and where they came
 * from, and the stream keeps running: a valid movement after them is still applied.
 */
class DeadLetterTest extends ApiIntegrationTest {

    @BeforeEach
    void topologyRuns() {
        awaitInventoryRunning();
        putProduct("SKU-AFTER");
    }

    @Test
    void unreadableRecordsAreDeadLetteredWithTheirReasonAndTheStreamCarriesOn() throws Exception {
        String location = unique("DL");
        putLocation(location, "440106", "D-DLQ");
        RecordMetadata notWireFormat = produceRaw(location, "plain text, not Avro".getBytes(StandardCharsets.UTF_8));
        RecordMetadata unknownSchemaId = produceRaw(location, new byte[] {0, 0x7f, 0x7f, 0x7f, 0x7f, 2, 4, 6});

        List<ConsumerRecord<String, byte[]>> deadLetters = awaitDeadLetters(location, 2);

        ConsumerRecord<String, byte[]> first = byOffset(deadLetters, notWireFormat.offset());
        assertThat(header(first, DeadLetterHandler.HEADER_REASON)).isEqualTo("NOT_WIRE_FORMAT");
        assertThat(header(first, DeadLetterHandler.HEADER_SOURCE_TOPIC)).isEqualTo("stock-movements");
        assertThat(header(first, DeadLetterHandler.HEADER_SOURCE_PARTITION))
                .isEqualTo(Integer.toString(notWireFormat.partition()));
        assertThat(new String(first.value(), StandardCharsets.UTF_8)).isEqualTo("plain text, not Avro");

        ConsumerRecord<String, byte[]> second = byOffset(deadLetters, unknownSchemaId.offset());
        assertThat(header(second, DeadLetterHandler.HEADER_REASON)).isEqualTo("UNKNOWN_SCHEMA_ID");
        assertThat(header(second, DeadLetterHandler.HEADER_MESSAGE)).contains("2139062143");

        // the stream is still running: a valid movement for the same location is applied
        web.post().uri("/api/stock-movements")
                .headers(h -> h.setBearerAuth(hqToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("""
                        {"locationId": "%s", "sku": "SKU-AFTER", "batch": "B1", "kind": "RECEIPT", "quantity": 7}
                        """.formatted(location))
                .exchange()
                .expectStatus().isAccepted();
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> {
            StockLevelView level = web.get().uri("/api/locations/{l}/stock/{s}", location, "SKU-AFTER")
                    .headers(h -> h.setBearerAuth(hqToken()))
                    .exchange().returnResult(StockLevelView.class).getResponseBody().blockFirst();
            return level != null && level.onHand() == 7;
        });
    }

    @Test
    void anUnreadableMasterDataRecordIsDeadLetteredByEveryGlobalStoreAndNoTopologyStops() throws Exception {
        String location = unique("DL-GLOBAL");
        RecordMetadata garbage = produceRaw(Topics.LOCATIONS.name(), location,
                "not a location".getBytes(StandardCharsets.UTF_8));

        // the topologies keep locations in global stores; a global thread dead-letters what it cannot read
        List<ConsumerRecord<String, byte[]>> deadLetters = awaitDeadLetters(location, 1);
        assertThat(deadLetters).allSatisfy(deadLetter -> {
            assertThat(header(deadLetter, DeadLetterHandler.HEADER_SOURCE_TOPIC)).isEqualTo(Topics.LOCATIONS.name());
            assertThat(header(deadLetter, DeadLetterHandler.HEADER_SOURCE_OFFSET))
                    .isEqualTo(Long.toString(garbage.offset()));
            assertThat(header(deadLetter, DeadLetterHandler.HEADER_REASON)).isEqualTo("NOT_WIRE_FORMAT");
        });

        // and the instance is still whole: the location, sent properly now, is applied and stock moves there
        putLocation(location, "440106", "D-DLQ");
        web.post().uri("/api/stock-movements")
                .headers(h -> h.setBearerAuth(hqToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("""
                        {"locationId": "%s", "sku": "SKU-AFTER", "batch": "B1", "kind": "RECEIPT", "quantity": 3}
                        """.formatted(location))
                .exchange()
                .expectStatus().isAccepted();
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
            StockLevelView level = web.get().uri("/api/locations/{l}/stock/{s}", location, "SKU-AFTER")
                    .headers(h -> h.setBearerAuth(hqToken()))
                    .exchange().returnResult(StockLevelView.class).getResponseBody().blockFirst();
            return level != null && level.onHand() == 3;
        });
        topologies.all().forEach((name, streams) -> assertThat(streams.state().isRunningOrRebalancing())
                .as("topology %s is %s", name, streams.state()).isTrue());
    }

    @Test
    void anUnreadableAlertIsDeadLetteredByTheInboxConsumerWhichCarriesOn() throws Exception {
        String key = unique("DL-ALERT");
        RecordMetadata garbage = produceRaw(Topics.ALERTS.name(), key, new byte[] {0, 0x7f, 0x7f, 0x7f, 0x7e, 1});

        // the partner feed reads alerts too and dead-letters the record on its own; wait for the inbox's letter
        List<ConsumerRecord<String, byte[]>> deadLetters = awaitDeadLetters(key, found -> found.stream()
                .anyMatch(r -> String.valueOf(header(r, DeadLetterHandler.HEADER_APPLICATION)).endsWith("-alert-inbox")));

        assertThat(deadLetters).anySatisfy(deadLetter -> {
            assertThat(header(deadLetter, DeadLetterHandler.HEADER_SOURCE_OFFSET))
                    .isEqualTo(Long.toString(garbage.offset()));
            assertThat(header(deadLetter, DeadLetterHandler.HEADER_REASON)).isEqualTo("UNKNOWN_SCHEMA_ID");
            assertThat(header(deadLetter, DeadLetterHandler.HEADER_APPLICATION)).endsWith("-alert-inbox");
        });
    }

    private static RecordMetadata produceRaw(String key, byte[] value) throws Exception {
        return produceRaw(Topics.STOCK_MOVEMENTS.name(), key, value);
    }

    private static RecordMetadata produceRaw(String topic, String key, byte[] value) throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer())) {
            return producer.send(new ProducerRecord<>(topic, key, value)).get();
        }
    }

    /** Dead letters of {@code key} until {@code count} distinct source records have one. */
    private static List<ConsumerRecord<String, byte[]>> awaitDeadLetters(String key, int count) {
        // several topologies (and subscribers) may read one topic: count source records, not letters
        return awaitDeadLetters(key, found -> found.stream()
                .map(r -> header(r, DeadLetterHandler.HEADER_SOURCE_OFFSET)).distinct().count() >= count);
    }

    private static List<ConsumerRecord<String, byte[]>> awaitDeadLetters(
            String key, java.util.function.Predicate<List<ConsumerRecord<String, byte[]>>> enough) {
        List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, unique("dlq-reader"),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.DEAD_LETTERS.name()));
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> {
                    if (key.equals(record.key())) {
                        found.add(record);
                    }
                });
                return enough.test(found);
            });
        }
        return found;
    }

    private static ConsumerRecord<String, byte[]> byOffset(List<ConsumerRecord<String, byte[]>> records, long offset) {
        return records.stream()
                .filter(record -> Long.toString(offset).equals(header(record, DeadLetterHandler.HEADER_SOURCE_OFFSET)))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no dead letter for source offset " + offset + " in " + records));
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        return Optional.ofNullable(record.headers().lastHeader(name))
                .map(Header::value)
                .map(value -> new String(value, StandardCharsets.UTF_8))
                .orElse(null);
    }
}
