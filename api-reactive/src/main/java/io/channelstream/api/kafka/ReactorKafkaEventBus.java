package io.channelstream.api.kafka;

import io.channelstream.schemas.EventSerdes;
import io.channelstream.schemas.Topic;
import io.channelstream.schemas.Topics;
import io.channelstream.streams.DeadLetterHandler;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.kafka.receiver.KafkaReceiver;
import reactor.kafka.receiver.ReceiverRecord;
import reactor.kafka.receiver.ReceiverOptions;
import reactor.kafka.sender.KafkaSender;
import reactor.kafka.sender.SenderOptions;
import reactor.kafka.sender.SenderRecord;

/**
 * The publish/subscribe port implemented with Reactor Kafka 1.3.25. Reactor Kafka is discontinued
 * and never declared support for kafka-clients 4.x; it is used only here, without its
 * transactional offset API (whose {@code sendOffsetsToTransaction(Map, String)} is gone in 4.x),
 * and {@code ReactorKafkaEventBusTest} proves send and receive on the Kafka version in use.
 *
 * <p>Values are serialized to Confluent wire format before they reach the sender; the schemas were
 * registered at start-up ({@code SchemaBootstrap}), so serializing never waits on the registry.
 */
public final class ReactorKafkaEventBus implements EventPublisher, EventSubscriber, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ReactorKafkaEventBus.class);

    private final String bootstrapServers;
    private final EventSerdes serdes;
    private final KafkaSender<String, byte[]> sender;

    public ReactorKafkaEventBus(String bootstrapServers, EventSerdes serdes) {
        this.bootstrapServers = bootstrapServers;
        this.serdes = serdes;
        Map<String, Object> producer = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 2,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        this.sender = KafkaSender.create(SenderOptions.<String, byte[]>create(producer)
                .maxInFlight(1024)
                .stopOnError(false));
    }

    @Override
    public <V extends SpecificRecord> Mono<PublishedEvent> publish(Topic<V> topic, String key, V value) {
        return Mono.fromCallable(() -> serdes.value(topic).serializer().serialize(topic.name(), value))
                .flatMap(bytes -> sender
                        .send(Mono.just(SenderRecord.create(topic.name(), null, null, key, bytes, key)))
                        .next())
                .flatMap(result -> result.exception() != null
                        ? Mono.error(result.exception())
                        : Mono.just(new PublishedEvent(topic.name(), result.recordMetadata().partition(),
                                result.recordMetadata().offset())));
    }

    @Override
    public <V extends SpecificRecord> Flux<Outcome> publishAll(Topic<V> topic, List<Keyed<V>> events) {
        List<Outcome> unserializable = new ArrayList<>();
        List<SenderRecord<String, byte[], String>> records = new ArrayList<>(events.size());
        for (Keyed<V> event : events) {
            try {
                byte[] bytes = serdes.value(topic).serializer().serialize(topic.name(), event.value());
                records.add(SenderRecord.create(topic.name(), null, null, event.key(), bytes, event.key()));
            } catch (RuntimeException e) {
                unserializable.add(new Outcome(event.key(), null, e));
            }
        }
        Flux<Outcome> sent = records.isEmpty() ? Flux.empty() : sender.send(Flux.fromIterable(records))
                .map(result -> result.exception() != null
                        ? new Outcome(result.correlationMetadata(), null, result.exception())
                        : new Outcome(result.correlationMetadata(), new PublishedEvent(topic.name(),
                                result.recordMetadata().partition(), result.recordMetadata().offset()), null));
        return Flux.concat(Flux.fromIterable(unserializable), sent);
    }

    @Override
    public <V extends SpecificRecord> Flux<ReceivedEvent<V>> subscribe(Topic<V> topic, String groupId) {
        Map<String, Object> consumer = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, groupId,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        Deserializer<V> deserializer = serdes.value(topic).deserializer();
        ReceiverOptions<String, byte[]> options = ReceiverOptions.<String, byte[]>create(consumer)
                .subscription(List.of(topic.name()));
        return KafkaReceiver.create(options).receive()
                .concatMap(record -> {
                    V value;
                    try {
                        value = deserializer.deserialize(record.topic(), record.headers(), record.value());
                    } catch (RuntimeException unreadable) {
                        // a record nobody can read must not stop the subscriber for good: it goes to the
                        // dead letters with its reason and passes on as "no value", acknowledged in its turn
                        return deadLetter(record, groupId, unreadable).thenReturn(received(record, null));
                    }
                    return Mono.just(received(record, value));
                });
    }

    private static <V> ReceivedEvent<V> received(ReceiverRecord<String, byte[]> record, V value) {
        return new ReceivedEvent<>(record.key(), value, record.partition(), record.offset(),
                record.receiverOffset()::acknowledge);
    }

    private Mono<Void> deadLetter(ReceiverRecord<String, byte[]> record, String groupId, RuntimeException cause) {
        String reason = DeadLetterHandler.reasonOf(cause);
        log.warn("dead-lettering {}-{}@{} read by {}: {} ({})", record.topic(), record.partition(), record.offset(),
                groupId, reason, cause.getMessage());
        RecordHeaders headers = new RecordHeaders();
        header(headers, DeadLetterHandler.HEADER_REASON, reason);
        header(headers, DeadLetterHandler.HEADER_MESSAGE, String.valueOf(cause.getMessage()));
        header(headers, DeadLetterHandler.HEADER_EXCEPTION, cause.getClass().getName());
        header(headers, DeadLetterHandler.HEADER_SOURCE_TOPIC, record.topic());
        header(headers, DeadLetterHandler.HEADER_SOURCE_PARTITION, Integer.toString(record.partition()));
        header(headers, DeadLetterHandler.HEADER_SOURCE_OFFSET, Long.toString(record.offset()));
        header(headers, DeadLetterHandler.HEADER_APPLICATION, groupId);
        ProducerRecord<String, byte[]> deadLetter = new ProducerRecord<>(Topics.DEAD_LETTERS.name(), null,
                record.timestamp(), record.key(), record.value(), headers);
        return sender.send(Mono.just(SenderRecord.create(deadLetter, record.key())))
                .next()
                .flatMap(result -> result.exception() != null ? Mono.<Void>error(result.exception()) : Mono.<Void>empty());
    }

    private static void header(RecordHeaders headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        sender.close();
    }
}
