package io.channelstream.api.bench;

import io.channelstream.api.kafka.EventPublisher;
import io.channelstream.events.MovementKind;
import io.channelstream.events.StockMovementRecorded;
import io.channelstream.schemas.CleanupPolicy;
import io.channelstream.schemas.EventSerdes;
import io.channelstream.schemas.Topic;
import io.channelstream.schemas.Topics;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Baselines for the benchmark harness (benchmarks module), present only with
 * {@code channelstream.bench.enabled=true}: a constant JSON answer (the ceiling of a read through the same
 * security and web stack), the reactive publish path next to a plain {@code KafkaProducer} loop with the same
 * producer settings, and the heap in use. Authenticated like every other endpoint, so the comparison is fair.
 */
@RestController
@RequestMapping("/api/bench")
@ConditionalOnProperty(name = "channelstream.bench.enabled", havingValue = "true")
public class BenchController {

    /** Its own topic, so publishing here never feeds a topology. */
    static final Topic<StockMovementRecorded> BENCH_PUBLISH = new Topic<>("bench.publish",
            StockMovementRecorded.class, StockMovementRecorded.getClassSchema(), "locationId",
            Topics.FACT_PARTITIONS, CleanupPolicy.DELETE, Duration.ofHours(1));
    private static final int MAX_EVENTS = 2_000_000;
    private static final Map<String, Object> CONSTANT = Map.of("status", "ok", "service", "channelstream",
            "purpose", "benchmark ceiling: same stack, no work");

    private final EventPublisher publisher;
    private final EventSerdes serdes;
    private final Admin admin;
    private final String bootstrapServers;

    public BenchController(EventPublisher publisher, EventSerdes serdes, Admin admin,
                           io.channelstream.api.config.ChannelstreamProperties properties) {
        this.publisher = publisher;
        this.serdes = serdes;
        this.admin = admin;
        this.bootstrapServers = properties.kafka().bootstrapServers();
    }

    @GetMapping("/constant")
    public Mono<Map<String, Object>> constant() {
        return Mono.just(CONSTANT);
    }

    /** Heap in use after a full collection, and the maximum. */
    @GetMapping("/heap")
    public Mono<Map<String, Long>> heap() {
        return Mono.fromCallable(() -> {
            System.gc();
            MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
            return Map.of("usedBytes", heap.getUsed(), "committedBytes", heap.getCommitted(), "maxBytes",
                    heap.getMax());
        }).subscribeOn(Schedulers.boundedElastic());
    }

    /**
     * Publishes {@code events} stock movements to {@code bench.publish} through {@code path}: {@code reactive}
     * (EventPublisher, {@code concurrency} sends in flight) or {@code plain} (a KafkaProducer send loop with a
     * callback, acks=all, idempotent, linger 2 ms, as EventPublisher's producer). Answers when all are acknowledged.
     */
    @PostMapping("/publish")
    public Mono<Map<String, Object>> publish(@RequestParam String path, @RequestParam int events,
                                             @RequestParam(defaultValue = "1024") int concurrency) {
        if (events <= 0 || events > MAX_EVENTS) {
            return Mono.error(new IllegalArgumentException("events must be 1.." + MAX_EVENTS));
        }
        Mono<Long> run = switch (path) {
            case "reactive" -> Mono.defer(() -> {
                long start = System.nanoTime();
                return Flux.range(0, events)
                        .flatMap(i -> publisher.publish(BENCH_PUBLISH, location(i), movement(i)), concurrency)
                        .then(Mono.fromSupplier(() -> System.nanoTime() - start));
            });
            case "plain" -> Mono.fromCallable(() -> plainLoop(events)).subscribeOn(Schedulers.boundedElastic());
            default -> Mono.error(new IllegalArgumentException("path must be reactive or plain"));
        };
        return Mono.fromRunnable(this::ensureTopic).subscribeOn(Schedulers.boundedElastic())
                .then(run)
                .map(nanos -> Map.<String, Object>of("path", path, "events", events, "seconds", nanos / 1e9,
                        "eventsPerSecond", events / (nanos / 1e9)));
    }

    private long plainLoop(int events) throws InterruptedException {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 2,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        var serializer = serdes.value(BENCH_PUBLISH).serializer();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config)) {
            producer.partitionsFor(BENCH_PUBLISH.name()); // metadata outside the timed part, as the reactive sender has it
            CountDownLatch acknowledged = new CountDownLatch(events);
            AtomicReference<Exception> failure = new AtomicReference<>();
            long start = System.nanoTime();
            for (int i = 0; i < events; i++) {
                byte[] value = serializer.serialize(BENCH_PUBLISH.name(), movement(i));
                producer.send(new ProducerRecord<>(BENCH_PUBLISH.name(), location(i), value), (metadata, e) -> {
                    if (e != null) {
                        failure.compareAndSet(null, e);
                    }
                    acknowledged.countDown();
                });
            }
            if (!acknowledged.await(5, TimeUnit.MINUTES)) {
                throw new IllegalStateException("not all sends were acknowledged within 5 minutes");
            }
            if (failure.get() != null) {
                throw new IllegalStateException("a send failed: " + failure.get().getMessage(), failure.get());
            }
            return System.nanoTime() - start;
        }
    }

    /** Creates the topic and waits until every partition has a leader, so no timed send meets a fresh topic. */
    private void ensureTopic() {
        try {
            try {
                admin.createTopics(List.of(BENCH_PUBLISH.toNewTopic((short) 1))).all().get(30, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("cannot create " + BENCH_PUBLISH.name(), e.getCause());
                }
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline) {
                var description = admin.describeTopics(List.of(BENCH_PUBLISH.name())).allTopicNames()
                        .get(10, TimeUnit.SECONDS).get(BENCH_PUBLISH.name());
                if (description.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty())) {
                    return;
                }
                Thread.sleep(100);
            }
            throw new IllegalStateException(BENCH_PUBLISH.name() + " has partitions without a leader after 30 s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating " + BENCH_PUBLISH.name(), e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot create " + BENCH_PUBLISH.name() + ": " + e.getMessage(), e);
        }
    }

    private static String location(int i) {
        return "BENCH-LOC-" + (i % 308);
    }

    private static StockMovementRecorded movement(int i) {
        return StockMovementRecorded.newBuilder().setEventId("bench-" + i).setOccurredAt(Instant.now())
                .setSource("bench").setLocationId(location(i)).setSku("SKU-BENCH-" + (i % 500))
                .setBatch("B1").setKind(MovementKind.RECEIPT).setQuantity(1 + i % 50).setProductionDate(null)
                .setExpiryDate(null).setReference(null).setUnitPriceFen(null).build();
    }
}
