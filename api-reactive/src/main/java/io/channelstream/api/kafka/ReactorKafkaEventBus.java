package io.channelstream.api.kafka;

import io.channelstream.schemas.EventSerdes;
import io.channelstream.schemas.Topic;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.kafka.receiver.KafkaReceiver;
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
                .map(record -> new ReceivedEvent<>(record.key(),
                        deserializer.deserialize(record.topic(), record.headers(), record.value()),
                        record.partition(), record.offset(), record.receiverOffset()::acknowledge));
    }

    @Override
    public void close() {
        sender.close();
    }
}
