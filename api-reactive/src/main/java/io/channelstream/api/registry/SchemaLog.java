package io.channelstream.api.registry;

import io.channelstream.schemas.SchemaRegistryException;
import io.channelstream.schemas.SchemaStore;
import io.channelstream.schemas.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import tools.jackson.databind.json.JsonMapper;

/**
 * The embedded registry's durable memory: every registered version is one JSON record on the
 * compacted topic {@code _channelstream-schemas} (key {@code subject|version}), the way Confluent
 * Schema Registry keeps its {@code _schemas} topic. On start the topic is read to its end and
 * replayed, so ids survive a restart; afterwards each change is written, and acknowledged by the
 * broker, before the registry answers.
 */
public final class SchemaLog implements AutoCloseable {

    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(10);

    private final JsonMapper json = JsonMapper.builder().build();
    private final String bootstrapServers;
    private final KafkaProducer<String, String> producer;
    /** Reads the log; kept open after the restore so a catch-up reads only what is new. */
    private KafkaConsumer<String, String> reader;

    public SchemaLog(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true),
                new StringSerializer(), new StringSerializer());
    }

    /** Writes one change and waits for the broker's acknowledgement (called off the event loop). */
    public void write(SchemaStore.Entry entry) {
        String key = entry.subject() + Topics.KEY_SEPARATOR + entry.version();
        try {
            producer.send(new ProducerRecord<>(Topics.SCHEMAS.name(), 0, key, json.writeValueAsString(entry)))
                    .get(WRITE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaRegistryException(500, SchemaRegistryException.STORE_ERROR, "interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new SchemaRegistryException(500, SchemaRegistryException.STORE_ERROR,
                    "could not persist " + key + " to " + Topics.SCHEMAS.name(), e);
        }
    }

    /** Replays the whole topic into {@code store}; returns how many entries were applied. */
    public synchronized int restoreInto(SchemaStore store, Duration timeout) {
        TopicPartition partition = new TopicPartition(Topics.SCHEMAS.name(), 0);
        if (reader == null) {
            reader = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                    new StringDeserializer(), new StringDeserializer());
            reader.assign(List.of(partition));
            reader.seekToBeginning(List.of(partition));
        }
        return readToEnd(store, partition, timeout);
    }

    /**
     * Applies what other writers added since the last read (another instance's embedded registry over the
     * same topic). Blocking: called from a consumer's deserializer, never from an event loop.
     */
    public synchronized int catchUp(SchemaStore store, Duration timeout) {
        if (reader == null) {
            return restoreInto(store, timeout);
        }
        return readToEnd(store, new TopicPartition(Topics.SCHEMAS.name(), 0), timeout);
    }

    private int readToEnd(SchemaStore store, TopicPartition partition, Duration timeout) {
        long end = reader.endOffsets(List.of(partition), timeout).get(partition);
        Instant deadline = Instant.now().plus(timeout);
        int applied = 0;
        while (reader.position(partition, timeout) < end) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("the schema log " + Topics.SCHEMAS.name()
                        + " could not be read to its end (" + end + ") within " + timeout);
            }
            for (ConsumerRecord<String, String> record : reader.poll(Duration.ofMillis(200))) {
                if (record.value() != null) {
                    store.apply(json.readValue(record.value(), SchemaStore.Entry.class));
                    applied++;
                }
            }
        }
        return applied;
    }

    @Override
    public synchronized void close() {
        producer.close(Duration.ofSeconds(5));
        if (reader != null) {
            reader.close();
            reader = null;
        }
    }
}
