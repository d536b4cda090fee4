package io.channelstream.diversion;

import static io.channelstream.diversion.DiversionWorld.GUANGZHOU_TIANHE;
import static io.channelstream.diversion.DiversionWorld.SHANGHAI_PUDONG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.channelstream.events.Alert;
import io.channelstream.events.AlertType;
import io.channelstream.events.CodeTrail;
import io.channelstream.events.DealerUpserted;
import io.channelstream.events.LocationKind;
import io.channelstream.events.LocationUpserted;
import io.channelstream.events.ScanRecorded;
import io.channelstream.events.ScannerRole;
import io.channelstream.events.ShipmentDispatched;
import io.channelstream.events.ShipmentLine;
import io.channelstream.events.SightingVerdict;
import io.channelstream.infra.EmbeddedKafka;
import io.channelstream.schemas.EventSerdes;
import io.channelstream.schemas.InProcessSchemaRegistryClient;
import io.channelstream.schemas.Topic;
import io.channelstream.schemas.Topics;
import io.channelstream.streams.StreamsSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The read facade against a real broker and a running topology: a code's trail is read from the partition that owns
 * it, and reads racing the stream thread's writes of that very trail keep being answered while the topology keeps
 * judging (with Kafka Streams 4.2.1, IQv2 reads on RocksDB can deadlock the stream thread: KAFKA-19629).
 */
class DiversionReadsTest {

    private static final Instant MONDAY = Instant.parse("2026-11-16T02:00:00Z");
    private static final String GTIN = DiversionWorld.GTIN;

    @TempDir
    static Path stateDir;

    private static EmbeddedKafka kafka;
    private static EventSerdes serdes;
    private static KafkaStreams streams;
    private static KafkaProducer<String, byte[]> producer;
    private static DiversionReads reads;
    private static int serial;

    @BeforeAll
    static void runningTopology() throws Exception {
        kafka = EmbeddedKafka.start();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            admin.createTopics(Topics.definitions().stream().map(d -> d.toNewTopic((short) 1)).toList()).all().get();
        }
        serdes = new EventSerdes(new InProcessSchemaRegistryClient(), true);
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.LINGER_MS_CONFIG, 5), new StringSerializer(), new ByteArraySerializer());
        send(Topics.DEALERS, "D-GZ", DealerUpserted.newBuilder().setEventId("d-gz").setOccurredAt(MONDAY)
                .setSource("test").setDealerId("D-GZ").setName("Guangzhou dealer").setTier(1)
                .setAuthorizedRegionCodes(List.of("44")).setEffectiveFrom(Instant.parse("2026-01-01T00:00:00Z"))
                .setRegionalManagerRegionCode(null).setAuthorizationHistory(List.of()).build(), MONDAY);
        send(Topics.LOCATIONS, "DL-GZ", LocationUpserted.newBuilder().setEventId("l-gz").setOccurredAt(MONDAY)
                .setSource("test").setLocationId("DL-GZ").setName("Guangzhou depot").setKind(LocationKind.DEALER)
                .setRegionCode(GUANGZHOU_TIANHE).setLatitude(23.125).setLongitude(113.361).setDealerId("D-GZ")
                .build(), MONDAY);
        producer.flush();
        // an application server, as the app has one: without it Kafka Streams names no key's owner
        java.util.Properties props = StreamsSettings.local("diversion-reads-test", kafka.bootstrapServers(), stateDir)
                .withApplicationServer("127.0.0.1:1").toProperties();
        props.putAll(DiversionTopology.streamsOverrides()); // as the app runs it
        streams = new KafkaStreams(DiversionTopology.build(serdes), props);
        CountDownLatch running = new CountDownLatch(1);
        streams.setStateListener((now, before) -> {
            if (now == KafkaStreams.State.RUNNING) {
                running.countDown();
            }
        });
        streams.start();
        assertThat(running.await(90, TimeUnit.SECONDS)).as("the topology reached RUNNING").isTrue();
        reads = new DiversionReads(streams, DiversionConfig.defaults());
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
    void aCodesTrailIsReadFromThePartitionThatOwnsItAndNoOther() {
        String item = itemCode();
        ship("SHP-READ", item);
        sale(item, SHANGHAI_PUDONG, MONDAY.plus(Duration.ofDays(2)));
        awaitDiversions(Set.of(item));

        KeyQueryMetadata owner = reads.ownerOfCode(item);
        StoreRead<Optional<CodeTrail>> read = reads.codeTrail(item, owner.partition(), false);
        assertThat(read).isInstanceOf(StoreRead.Served.class);
        CodeTrail trail = ((StoreRead.Served<Optional<CodeTrail>>) read).value().orElseThrow();
        assertThat(trail.getBindings()).extracting(b -> b.getShipmentId()).containsExactly("SHP-READ");
        assertThat(trail.getSightings()).extracting(s -> s.getVerdict()).containsExactly(SightingVerdict.OUT_OF_REGION);
        assertThat(((StoreRead.Served<?>) read).fromStandby()).isFalse();

        int elsewhere = (owner.partition() + 1) % Topics.SCANS.partitions();
        StoreRead<Optional<CodeTrail>> wrongPartition = reads.codeTrail(item, elsewhere, false);
        assertThat(((StoreRead.Served<Optional<CodeTrail>>) wrongPartition).value()).isEmpty();
    }

    @Test
    void aPartitionThisInstanceDoesNotHoldIsUnavailableNotAnError() {
        StoreRead<Optional<CodeTrail>> read = reads.codeTrail("CODE-X", Topics.SCANS.partitions() + 3, false);
        assertThat(((StoreRead.Unavailable<?>) read).reason()).isEqualTo(DiversionReads.NOT_ACTIVE);

        StoreRead<Optional<CodeTrail>> standby = reads.codeTrail("CODE-X", Topics.SCANS.partitions() + 3, true);
        assertThat(((StoreRead.Unavailable<?>) standby).reason()).isEqualTo(DiversionReads.NOT_PRESENT);
    }

    @Test
    void readsRacingTheStreamsWritesOfTheSameTrailKeepBeingAnsweredAndTheStreamKeepsJudging() throws Exception {
        String sold = itemCode();
        ship("SHP-RACE", sold);
        int partition = reads.ownerOfCode(sold).partition();
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicLong written = new AtomicLong();
        Thread writer = new Thread(() -> {
            // the same code sold again and again in its region: every scan rewrites the trail being read
            while (writing.get()) {
                sale(sold, GUANGZHOU_TIANHE, MONDAY.plus(Duration.ofHours(1)).plusMillis(written.get()));
                written.incrementAndGet();
                LockSupport.parkNanos(400_000); // a steady ~2,000 writes/s, no backlog to wait out afterwards
            }
        }, "race-writer");
        writer.start();
        long answered;
        try {
            answered = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
                long served = 0;
                long until = System.nanoTime() + Duration.ofSeconds(8).toNanos();
                while (System.nanoTime() < until) {
                    if (reads.codeTrail(sold, partition, false) instanceof StoreRead.Served<?>) {
                        served++;
                    }
                }
                return served;
            }, "a trail read hung while the topology was writing (lock-order deadlock?)");
        } finally {
            writing.set(false);
            writer.join();
        }
        // the stream thread is not stuck either: a diverted sale sent after the race is judged and alerted
        String diverted = itemCode();
        ship("SHP-AFTER", diverted);
        sale(diverted, SHANGHAI_PUDONG, MONDAY.plus(Duration.ofDays(2)));
        assertTimeoutPreemptively(Duration.ofSeconds(90), () -> awaitDiversions(Set.of(diverted)),
                "the topology stopped judging after the race");
        assertThat(written.get()).isGreaterThan(1_000);
        assertThat(answered).isGreaterThan(1_000);
        assertThat(streams.state()).isEqualTo(KafkaStreams.State.RUNNING);
        CodeTrail trail = ((StoreRead.Served<Optional<CodeTrail>>) reads.codeTrail(sold, partition, false)).value()
                .orElseThrow();
        assertThat(trail.getSightings()).isNotEmpty().allSatisfy(
                s -> assertThat(s.getVerdict()).isEqualTo(SightingVerdict.IN_REGION));
    }

    private static String itemCode() {
        return "https://qr.brand.test/01/" + GTIN + "/10/B2026-01/21/R" + (++serial);
    }

    private static void ship(String shipmentId, String item) {
        send(Topics.SHIPMENTS, shipmentId, ShipmentDispatched.newBuilder()
                .setEventId(UUID.randomUUID().toString()).setOccurredAt(MONDAY).setSource("test")
                .setShipmentId(shipmentId).setOrderId(null).setFromLocationId("WH-SOUTH").setToLocationId("DL-GZ")
                .setToDealerId("D-GZ")
                .setLines(List.of(ShipmentLine.newBuilder().setSku("SKU-FORMULA-900G").setBatch("B2026-01")
                        .setQuantity(1).build()))
                .setPallets(List.of())
                .setLooseCases(List.of(DiversionWorld.caseOf("CASE-" + shipmentId, "SKU-FORMULA-900G", "B2026-01",
                        item)))
                .build(), MONDAY);
    }

    private static void sale(String code, String regionCode, Instant at) {
        send(Topics.SCANS, code, ScanRecorded.newBuilder(DiversionWorld.baseScan(code, ScannerRole.STORE_SALE, at))
                .setRegionCode(regionCode).build(), at);
    }

    private static <V extends SpecificRecord> void send(Topic<V> topic, String key, V value, Instant at) {
        producer.send(new ProducerRecord<>(topic.name(), null, at.toEpochMilli(), key,
                serdes.value(topic).serializer().serialize(topic.name(), value)));
    }

    /** Waits until a DIVERSION alert for each code is on the alerts topic (committed, so the trail is stored too). */
    private static void awaitDiversions(Set<String> codes) {
        producer.flush();
        Set<String> missing = new HashSet<>(codes);
        try (KafkaConsumer<String, Alert> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "reads-test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new StringDeserializer(), serdes.value(Topics.ALERTS).deserializer())) {
            consumer.subscribe(List.of(Topics.ALERTS.name()));
            long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!missing.isEmpty() && System.nanoTime() < until) {
                for (ConsumerRecord<String, Alert> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.value().getAlertType() == AlertType.DIVERSION) {
                        missing.remove(record.value().getCode());
                    }
                }
            }
        }
        assertThat(missing).as("codes whose DIVERSION alert never reached the alerts topic").isEmpty();
    }
}
