package io.channelstream.simulator;

import io.channelstream.events.Alert;
import io.channelstream.schemas.SchemaRegistryClient;
import io.channelstream.schemas.WireDeserializer;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads what the running system produced, from the beginning of a topic to its end (committed records
 * only, as a downstream consumer sees them): alerts as {@link Alert}s, forecasts as generic Avro records
 * whose fields are found by name (the forecast contract is issue 6's; see docs/simulator.md).
 */
public final class SystemOutput {

    private final String bootstrapServers;
    private final SchemaRegistryClient registry;
    private final Duration timeout;

    public SystemOutput(String bootstrapServers, SchemaRegistryClient registry, Duration timeout) {
        this.bootstrapServers = bootstrapServers;
        this.registry = registry;
        this.timeout = timeout;
    }

    public boolean topicExists(String topic) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            Set<String> names = admin.listTopics().names().get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            return names.contains(topic);
        } catch (Exception e) {
            throw new IllegalStateException("cannot list topics on " + bootstrapServers + ": " + e.getMessage(), e);
        }
    }

    public List<Alert> alerts(String topic) {
        WireDeserializer<Alert> deserializer = new WireDeserializer<>(registry, Alert.class);
        List<Alert> alerts = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : readAll(topic)) {
            if (record.value() != null) {
                alerts.add(deserializer.deserialize(topic, record.value()));
            }
        }
        return alerts;
    }

    /** Forecast points on {@code topic}, or empty when the topic does not exist (not built yet). */
    public Optional<List<ForecastPoint>> forecasts(String topic) {
        if (!topicExists(topic)) {
            return Optional.empty();
        }
        List<ForecastPoint> points = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : readAll(topic)) {
            if (record.value() != null) {
                forecastOf(decode(record.value())).ifPresent(points::add);
            }
        }
        return Optional.of(points);
    }

    private GenericRecord decode(byte[] wire) {
        ByteBuffer buffer = ByteBuffer.wrap(wire);
        if (buffer.get() != 0) {
            throw new IllegalArgumentException("not Confluent wire format (magic byte is not 0)");
        }
        Schema writer = registry.schemaById(buffer.getInt());
        try {
            return new GenericDatumReader<GenericRecord>(writer)
                    .read(null, DecoderFactory.get().binaryDecoder(wire, 5, wire.length - 5, null));
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("undecodable forecast record: " + e.getMessage(), e);
        }
    }

    /**
     * Fields by name: sku, dealerId, the week ({@code forecastWeekStart} or {@code weekStart}: date,
     * timestamp-millis or ISO string) and the units ({@code forecastWeeklyUnits[0]}, as issue 6's
     * OrderSuggestion carries them, or a plain {@code forecastUnits}).
     */
    static Optional<ForecastPoint> forecastOf(GenericRecord record) {
        Object sku = field(record, "sku");
        Object dealer = field(record, "dealerId");
        Object week = field(record, "forecastWeekStart", "weekStart");
        Object units = field(record, "forecastWeeklyUnits", "forecastUnits");
        if (units instanceof java.util.List<?> weekly) {
            units = weekly.isEmpty() ? null : weekly.get(0);
        }
        if (sku == null || dealer == null || week == null || !(units instanceof Number)) {
            return Optional.empty();
        }
        return Optional.of(new ForecastPoint(sku.toString(), dealer.toString(), weekOf(week),
                ((Number) units).doubleValue()));
    }

    static LocalDate weekOf(Object value) {
        LocalDate date;
        if (value instanceof Integer days) {
            date = LocalDate.ofEpochDay(days);
        } else if (value instanceof Long millis) {
            date = LocalDate.ofInstant(Instant.ofEpochMilli(millis), ZoneOffset.UTC);
        } else if (value instanceof LocalDate d) {
            date = d;
        } else if (value instanceof Instant i) {
            date = LocalDate.ofInstant(i, ZoneOffset.UTC);
        } else {
            date = LocalDate.parse(value.toString().substring(0, 10));
        }
        return DemandModel.monday(date);
    }

    private static Object field(GenericRecord record, String... names) {
        for (String name : names) {
            if (record.getSchema().getField(name) != null) {
                return record.get(name);
            }
        }
        return null;
    }

    private List<ConsumerRecord<String, byte[]>> readAll(String topic) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).collect(Collectors.toList());
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!caughtUp(consumer, end)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("did not reach the end of " + topic + " within " + timeout);
                }
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    private static boolean caughtUp(KafkaConsumer<String, byte[]> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }
}
