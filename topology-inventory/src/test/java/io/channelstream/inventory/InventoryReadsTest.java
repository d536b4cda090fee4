package io.channelstream.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.channelstream.events.InventoryPosition;
import io.channelstream.events.MovementKind;
import io.channelstream.events.StockMovementRecorded;
import io.channelstream.infra.EmbeddedKafka;
import io.channelstream.schemas.EventSerdes;
import io.channelstream.schemas.InProcessSchemaRegistryClient;
import io.channelstream.schemas.TopicDefinition;
import io.channelstream.schemas.Topics;
import io.channelstream.streams.StreamsSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The read facade against a real broker and a running topology: a location's stock is read from the partition
 * that owns it, and reads racing the stream thread's writes keep being answered (with Kafka Streams 4.2.1, IQv2
 * reads deadlocked the stream thread within moments at a few thousand writes/s: KAFKA-19629).
 */
class InventoryReadsTest {

    private static final Instant MONDAY = Instant.parse("2026-11-16T02:00:00Z");
    private static final List<String> DEPOTS = List.of("DL-01", "DL-02", "DL-03", "DL-04", "DL-05", "DL-06",
            "DL-07", "DL-08", "DL-09", "DL-10", "DL-11", "DL-12");

    @TempDir
    static Path stateDir;

    private static EmbeddedKafka kafka;
    private static EventSerdes serdes;
    private static KafkaStreams streams;
    private static KafkaProducer<String, StockMovementRecorded> producer;
    private static InventoryReads reads;

    @BeforeAll
    static void runningTopology() throws Exception {
        kafka = EmbeddedKafka.start();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            admin.createTopics(Topics.definitions().stream().map(d -> d.toNewTopic((short) 1)).toList()).all().get();
        }
        serdes = new EventSerdes(new InProcessSchemaRegistryClient(), true);
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.LINGER_MS_CONFIG, 5),
                new StringSerializer(), serdes.value(Topics.STOCK_MOVEMENTS).serializer());
        // an application server, as the app has one: without it Kafka Streams names no key's owner
        java.util.Properties props = StreamsSettings.local("inventory-reads-test", kafka.bootstrapServers(), stateDir)
                .withApplicationServer("127.0.0.1:1").toProperties();
        props.putAll(InventoryTopology.streamsOverrides()); // as the app runs it
        streams = new KafkaStreams(InventoryTopology.build(serdes), props);
        CountDownLatch running = new CountDownLatch(1);
        streams.setStateListener((now, before) -> {
            if (now == KafkaStreams.State.RUNNING) {
                running.countDown();
            }
        });
        streams.start();
        assertThat(running.await(90, TimeUnit.SECONDS)).as("the topology reached RUNNING").isTrue();
        reads = new InventoryReads(streams);
    }

    @AfterAll
    static void stop() {
        if (streams != null) {
            streams.close(Duration.ofSeconds(10));
        }
        if (producer != null) {
            producer.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void eachLocationIsReadFromThePartitionThatOwnsItAndNoOther() {
        Set<String> awaited = new HashSet<>();
        for (String depot : DEPOTS) {
            awaited.add(receive(depot, "FORMULA", "B-LATE", 50, LocalDate.parse("2027-09-01")));
            awaited.add(receive(depot, "FORMULA", "B-EARLY", 30, LocalDate.parse("2027-03-01")));
        }
        awaitPositions(awaited);

        for (String depot : DEPOTS) {
            KeyQueryMetadata owner = reads.ownerOf(depot);
            // stock movements are keyed by location, so the owner is the partition the producer wrote to
            assertThat(owner.partition()).isEqualTo(partitionOf(depot));

            LocalRead<StockLevel> read = reads.stockLevel(depot, "FORMULA", owner.partition(), false);
            assertThat(read).isInstanceOf(LocalRead.Served.class);
            StockLevel stock = ((LocalRead.Served<StockLevel>) read).value();
            assertThat(stock.onHand()).isEqualTo(80);
            assertThat(stock.available()).isEqualTo(80);
            assertThat(stock.batches()).extracting(InventoryPosition::getBatch).containsExactly("B-EARLY", "B-LATE");
            assertThat(((LocalRead.Served<StockLevel>) read).fromStandby()).isFalse();

            int elsewhere = (owner.partition() + 1) % Topics.FACT_PARTITIONS;
            LocalRead<StockLevel> wrongPartition = reads.stockLevel(depot, "FORMULA", elsewhere, false);
            assertThat(((LocalRead.Served<StockLevel>) wrongPartition).value().batches()).isEmpty();
        }
    }

    @Test
    void aPartitionThisInstanceDoesNotHoldIsUnavailableNotAnError() {
        LocalRead<StockLevel> read = reads.stockLevel("DL-01", "FORMULA", Topics.FACT_PARTITIONS + 3, false);
        assertThat(read).isInstanceOf(LocalRead.Unavailable.class);
        assertThat(((LocalRead.Unavailable<StockLevel>) read).reason()).isEqualTo(InventoryReads.NOT_ACTIVE);

        LocalRead<StockLevel> standby = reads.stockLevel("DL-01", "FORMULA", Topics.FACT_PARTITIONS + 3, true);
        assertThat(((LocalRead.Unavailable<StockLevel>) standby).reason()).isEqualTo(InventoryReads.NOT_PRESENT);
    }

    @Test
    void readsRacingTheStreamsWritesKeepBeingAnsweredAndTheStreamKeepsWriting() throws Exception {
        String depot = "DL-RACE";
        int partition = partitionOf(depot);
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicLong written = new AtomicLong();
        Thread writer = new Thread(() -> {
            while (writing.get()) {
                receive(depot, "WIPES", "B-" + (written.get() % 20), 1, LocalDate.parse("2027-09-01"));
                written.incrementAndGet();
                LockSupport.parkNanos(400_000); // a steady ~2,000 writes/s, no backlog to wait out afterwards
            }
        }, "race-writer");
        writer.start();
        long answered = 0;
        try {
            answered = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
                // race until both sides did a thousand: a count, not a time, so a loaded machine only makes it
                // slower; a deadlock shows as the preemptive timeout
                long served = 0;
                while (served <= 1_000 || written.get() <= 1_000) {
                    if (reads.stockLevel(depot, "WIPES", partition, false) instanceof LocalRead.Served<?>) {
                        served++;
                    }
                }
                return served;
            }, "a stock read hung while the topology was writing (lock-order deadlock?)");
        } finally {
            writing.set(false);
            writer.join();
        }
        // the stream thread is not stuck either: a movement sent after the race is applied and published
        String last = receive(depot, "WIPES", "B-AFTER", 7, LocalDate.parse("2027-09-01"));
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> awaitPositions(Set.of(last)),
                "the topology stopped writing after the race");
        assertThat(written.get()).isGreaterThan(1_000);
        assertThat(answered).isGreaterThan(1_000);
        assertThat(streams.state()).isEqualTo(KafkaStreams.State.RUNNING);
    }

    /** Sends a receipt; returns the event id its position will carry. */
    private static String receive(String locationId, String sku, String batch, int units, LocalDate expiry) {
        String eventId = UUID.randomUUID().toString();
        producer.send(new ProducerRecord<>(Topics.STOCK_MOVEMENTS.name(), locationId, StockMovementRecorded.newBuilder()
                .setEventId(eventId).setOccurredAt(MONDAY).setSource("test").setLocationId(locationId).setSku(sku)
                .setBatch(batch).setKind(MovementKind.RECEIPT).setQuantity(units).setExpiryDate(expiry).build()));
        return eventId;
    }

    /** Waits until the positions of these movements are on the output topic (committed, so also in the store). */
    private static void awaitPositions(Set<String> movementIds) {
        producer.flush();
        Set<String> missing = new HashSet<>(movementIds);
        try (KafkaConsumer<String, InventoryPosition> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "reads-test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new StringDeserializer(), serdes.value(Topics.INVENTORY_POSITIONS).deserializer())) {
            consumer.subscribe(List.of(Topics.INVENTORY_POSITIONS.name()));
            long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!missing.isEmpty() && System.nanoTime() < until) {
                for (ConsumerRecord<String, InventoryPosition> record : consumer.poll(Duration.ofMillis(200))) {
                    missing.remove(record.value().getLastMovementEventId());
                }
            }
        }
        assertThat(missing).as("movements whose position never reached the output").isEmpty();
    }

    private static int partitionOf(String locationId) {
        return Utils.toPositive(Utils.murmur2(locationId.getBytes(StandardCharsets.UTF_8))) % Topics.FACT_PARTITIONS;
    }
}
