package io.channelstream.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaTest {

    @Test
    void transactionalProducerCommitsAndReadCommittedConsumerSeesOnlyCommitted() throws Exception {
        KafkaEndpoint kafka = Infrastructure.shared().kafka();
        String topic = "eos-check-" + UUID.randomUUID();
        kafka.createTopics(EmbeddedKafka.DEFAULT_PARTITIONS, topic);

        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps(kafka))) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "k", "aborted")).get();
            producer.abortTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "k", "committed")).get();
            producer.commitTransaction();
        }

        List<String> seen = consumeAll(kafka, topic, 1);
        assertThat(seen).containsExactly("committed");
    }

    @Test
    void sharedInstanceIsOneBrokerPerJvm() {
        assertThat(Infrastructure.shared()).isSameAs(Infrastructure.shared());
        assertThat(Infrastructure.shared().kafka()).isSameAs(Infrastructure.shared().kafka());
    }

    @Test
    void aTemporaryLogDirIsOursAndGoneAfterClose() {
        Path data;
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            data = kafka.dataDirectory();
            // not Kafka's TestUtils.tempDirectory (whose JVM shutdown hook deleted it under the running broker)
            assertThat(data.getFileName().toString()).startsWith("channelstream-kafka-");
            assertThat(data).isDirectory();
        }
        assertThat(data).doesNotExist();
    }

    @Test
    void fixedPortAndPersistentLogDirSurviveARestart(@TempDir Path dir) throws Exception {
        int port = Redis.freePort();
        Path logDir = dir.resolve("kafka");
        String topic = "survives-restart";
        String clusterId;
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().port(port).logDir(logDir).start()) {
            assertThat(kafka.bootstrapServers()).isEqualTo("localhost:" + port);
            kafka.createTopics(2, topic);
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps(kafka))) {
                producer.initTransactions();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>(topic, "k", "before-restart")).get();
                producer.commitTransaction();
            }
            clusterId = kafka.clusterId();
        }
        assertThat(Files.exists(logDir)).isTrue();

        try (EmbeddedKafka again = EmbeddedKafka.builder().port(port).logDir(logDir).start()) {
            assertThat(again.clusterId()).isEqualTo(clusterId);
            assertThat(consumeAll(again, topic, 1)).containsExactly("before-restart");
            // and it still takes new transactional writes after the restart
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps(again))) {
                producer.initTransactions();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>(topic, "k", "after-restart")).get();
                producer.commitTransaction();
            }
            assertThat(consumeAll(again, topic, 2)).containsExactlyInAnyOrder("before-restart", "after-restart");
        }
    }

    private static Map<String, Object> producerProps(KafkaEndpoint kafka) {
        Map<String, Object> p = new HashMap<>(kafka.clientProperties());
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "tx-" + UUID.randomUUID());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        return p;
    }

    private static List<String> consumeAll(KafkaEndpoint kafka, String topic, int expected) {
        Map<String, Object> c = new HashMap<>(kafka.clientProperties());
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "g-" + UUID.randomUUID());
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (values.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    values.add(r.value());
                }
            }
            // one more poll: nothing else (in particular no aborted record) may arrive
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                values.add(r.value());
            }
        }
        return values;
    }
}
