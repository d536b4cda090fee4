package io.channelstream.benchmarks;

import io.channelstream.events.Alert;
import io.channelstream.events.InventoryPosition;
import io.channelstream.events.LocationUpserted;
import io.channelstream.events.ProductUpserted;
import io.channelstream.events.LocationKind;
import io.channelstream.events.MovementKind;
import io.channelstream.events.StockMovementRecorded;
import io.channelstream.inventory.InventoryReads;
import io.channelstream.inventory.InventoryTopology;
import io.channelstream.inventory.LocalRead;
import io.channelstream.inventory.StockLevel;
import io.channelstream.schemas.Topics;
import io.channelstream.simulator.KafkaEventSink;
import io.channelstream.simulator.World;
import io.channelstream.streams.StreamsSettings;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.nio.file.Path;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Stock events through the inventory topology with exactly-once v2, at seed scale (the 308 warehouses and
 * stores × 500 SKUs × 3 batches), next to a plain consumer → apply → producer loop doing the same work on the
 * same records; then event→queryable latency at half the measured rate, next to the broker's own
 * produce→consume latency at that rate.
 */
final class InventoryScenario implements Scenario {

    static final int SKUS = 500;
    static final int BATCHES = 3;
    private static final String PLAIN_OUTPUT = "bench.plain-positions";
    private static final String PLAIN_ALERTS = "bench.plain-alerts";
    /** The exactly-once plain loop's state changes, as the topology's store changelog carries its own. */
    private static final String PLAIN_STATE = "bench.plain-stock-state";
    /** How often the exactly-once plain loop commits its transaction: Kafka Streams' default under EOS. */
    private static final Duration PLAIN_COMMIT_INTERVAL = Duration.ofMillis(100);
    private static final Duration RUN_LIMIT = Duration.ofMinutes(3);
    private static final Duration LATENCY_RUN = Duration.ofSeconds(15);
    private static final int LATENCY_SAMPLE_EVERY = 25;
    /** Between sweeps of the pending samples' stock reads (the resolution of the event→queryable figure). */
    private static final long POLL_MILLIS = 5;
    /** The batch of a sampled movement (its own, so its arrival in the store is visible): this and its number. */
    private static final String SAMPLED_BATCH = "LAT";
    private static final String SAMPLED_BATCH_IN_KEY = "|" + SAMPLED_BATCH;
    /** The header marking a sampled movement on the input topic, for the broker watcher. */
    private static final String SAMPLE_HEADER = "bench-sample";

    @Override
    public String name() {
        return "inventory topology (exactly-once v2)";
    }

    @Override
    public List<Row> run(BenchContext ctx) throws Exception {
        String bootstrap = ctx.kafka().bootstrapServers();
        KafkaEventSink.createTopics(bootstrap, (short) 1);
        try (Admin admin = admin(bootstrap)) {
            admin.createTopics(List.of(new NewTopic(PLAIN_OUTPUT, Topics.FACT_PARTITIONS, (short) 1),
                    new NewTopic(PLAIN_ALERTS, Topics.FACT_PARTITIONS, (short) 1),
                    new NewTopic(PLAIN_STATE, Topics.FACT_PARTITIONS, (short) 1)
                            .configs(Map.of("cleanup.policy", "compact")))).all().get();
        }
        // master data first: the topology keeps locations and products in global stores
        try (KafkaEventSink sink = new KafkaEventSink(bootstrap, ctx.serdes())) {
            ctx.world().masterDataEvents(Instant.parse("2026-01-01T00:00:00Z"), "bench").forEach(sink::accept);
        }
        List<World.Site> sites = seedScaleSites(ctx.world());
        List<String> skus = ctx.world().products().stream().limit(SKUS).map(World.Product::sku).toList();
        long events = produceMovements(ctx, bootstrap, sites, skus);
        System.out.printf(Locale.ROOT, "  %,d stock movements on %s (%d locations x %d SKUs x %d batches)%n", events,
                Topics.STOCK_MOVEMENTS.name(), sites.size(), skus.size(), BATCHES);

        List<Double> streamsRates = new ArrayList<>();
        List<Double> plainRates = new ArrayList<>();
        List<Run> streamsCpu = new ArrayList<>();
        List<Run> plainCpu = new ArrayList<>();
        List<Double> exactlyOnceRates = new ArrayList<>();
        List<Run> exactlyOnceCpu = new ArrayList<>();
        // a debugging aid: -Dbench.latencyOnlyRate=N skips the throughput runs and measures latency at N/2
        double given = Double.parseDouble(System.getProperty("bench.latencyOnlyRate", "0"));
        if (given > 0) {
            streamsRates.add(given);
            plainRates.add(given);
        }
        for (int rep = 1; rep <= ctx.repetitions() && given <= 0; rep++) {
            Run streams = streamsRun(ctx, bootstrap, "bench-inventory-" + rep, events);
            Run plain = plainRun(ctx, bootstrap, "bench-plain-" + rep, events, false);
            Run exactlyOnce = plainRun(ctx, bootstrap, "bench-plain-eos-" + rep, events, true);
            streamsRates.add(streams.eventsPerSecond());
            plainRates.add(plain.eventsPerSecond());
            exactlyOnceRates.add(exactlyOnce.eventsPerSecond());
            streamsCpu.add(streams);
            plainCpu.add(plain);
            exactlyOnceCpu.add(exactlyOnce);
            System.out.printf(Locale.ROOT, "  rep %d: topology %,.0f events/s (CPU per event: stream thread %.1f µs, "
                            + "JVM %.1f µs), plain loop %,.0f events/s (loop thread %.1f µs, JVM %.1f µs), "
                            + "exactly-once plain loop %,.0f events/s (loop thread %.1f µs, JVM %.1f µs)%n", rep,
                    streams.eventsPerSecond(), streams.workerCpuMicros(), streams.jvmCpuMicros(),
                    plain.eventsPerSecond(), plain.workerCpuMicros(), plain.jvmCpuMicros(),
                    exactlyOnce.eventsPerSecond(), exactlyOnce.workerCpuMicros(), exactlyOnce.jvmCpuMicros());
            System.out.println("    CPU µs per event by thread group: topology run: " + streams.cpuByGroup()
                    + "; plain run: " + plain.cpuByGroup());
        }
        double streamsRate = Stats.median(streamsRates);
        double plainRate = Stats.median(plainRates);
        double exactlyOnceRate = exactlyOnceRates.isEmpty() ? Double.NaN : Stats.median(exactlyOnceRates);

        String overrides = ctx.streamsOverrides().isEmpty() ? ""
                : "; Streams settings laid over the project's: " + ctx.streamsOverrides();
        List<Row> cpuRows = new ArrayList<>();
        if (!streamsCpu.isEmpty()) {
            double streamThread = Stats.median(streamsCpu.stream().map(Run::workerCpuMicros).toList());
            double streamsJvm = Stats.median(streamsCpu.stream().map(Run::jvmCpuMicros).toList());
            double loopThread = Stats.median(plainCpu.stream().map(Run::workerCpuMicros).toList());
            double plainJvm = Stats.median(plainCpu.stream().map(Run::jvmCpuMicros).toList());
            cpuRows.add(new Row("CPU per stock event, same runs (CPU time: less swayed than wall-clock rates by other load on the machine)",
                    String.format(Locale.ROOT, "topology: stream thread %.1f µs, whole JVM %.1f µs (medians)",
                            streamThread, streamsJvm),
                    String.format(Locale.ROOT, "plain loop: loop thread %.1f µs, whole JVM %.1f µs", loopThread,
                            plainJvm),
                    plainJvm / streamsJvm, String.format(Locale.ROOT, "ratio: plain JVM CPU / topology JVM CPU "
                            + "(JVM = the harness with its in-process broker); one stream thread at a full core "
                            + "would do ≈ %,.0f events/s", 1e6 / streamThread) + overrides));
            cpuRows.add(new Row("stock events/s through the exactly-once plain loop, same runs",
                    String.format(Locale.ROOT, "topology: %,.0f events/s (median; runs %s)", streamsRate,
                            list(streamsRates)),
                    String.format(Locale.ROOT, "the plain loop above with exactly-once: read_committed, a "
                                    + "transaction every %d ms holding its outputs, its state changes (to a compacted "
                                    + "topic, as a store's changelog) and its input offsets: %,.0f events/s (%s); CPU "
                                    + "per event: loop thread %.1f µs, whole JVM %.1f µs",
                            PLAIN_COMMIT_INTERVAL.toMillis(), exactlyOnceRate, list(exactlyOnceRates),
                            Stats.median(exactlyOnceCpu.stream().map(Run::workerCpuMicros).toList()),
                            Stats.median(exactlyOnceCpu.stream().map(Run::jvmCpuMicros).toList())),
                    streamsRate / exactlyOnceRate, "what Kafka Streams costs beyond the exactly-once work itself: "
                            + "the loop keeps its state in memory (no RocksDB, no restoration) and has no "
                            + "repartition, task or punctuation machinery" + overrides));
        }
        List<Row> rows = new ArrayList<>();
        // a debugging aid: -Dbench.skipLatency=true measures throughput only (e.g. of a build whose reads use IQv2)
        if (Boolean.getBoolean("bench.skipLatency")) {
            rows.add(throughputRow(sites, skus, events, streamsRate, streamsRates, plainRate, plainRates, overrides));
            rows.addAll(cpuRows);
            return rows;
        }
        // a debugging aid: -Dbench.latencyRate=N sends the latency run at N events/s instead of half the measured rate
        double latencyRate = Double.parseDouble(System.getProperty("bench.latencyRate", "0"));
        Latency latency = latencyRun(ctx, bootstrap, sites, skus, latencyRate > 0 ? latencyRate : streamsRate / 2,
                events);
        rows.add(throughputRow(sites, skus, events, streamsRate, streamsRates, plainRate, plainRates, overrides));
        rows.addAll(cpuRows);
        rows.add(new Row(String.format(Locale.ROOT, "event→queryable at %,.0f events/s (half the rate above)",
                        latency.achievedRate),
                String.format(Locale.ROOT, "stock read (InventoryReads.stockLevel on the owning partition): p50 %.1f ms, p99 %.1f ms (%d samples); position on the output, "
                                + "read_committed: p50 %.1f ms, p99 %.1f ms (%d samples)", latency.p50Millis,
                        latency.p99Millis, latency.samples, latency.outputP50Millis, latency.outputP99Millis,
                        latency.outputSamples),
                String.format(Locale.ROOT, "broker produce→consume, same events: p50 %.1f ms, p99 %.1f ms",
                        latency.brokerP50Millis, latency.brokerP99Millis),
                (latency.samples > 0 ? latency.p99Millis : latency.outputP99Millis) / latency.brokerP99Millis,
                "ratio of the p99s (store read; the committed output when the store saw no sample); 1 sample in "
                + LATENCY_SAMPLE_EVERY + ", polled every " + POLL_MILLIS + " ms; timed for " + LATENCY_RUN.toSeconds()
                + " s after " + Long.getLong("bench.latencyWarmUpSeconds", 10) + " s of the same traffic untimed"
                + overrides));
        return rows;
    }

    private static Row throughputRow(List<World.Site> sites, List<String> skus, long events, double streamsRate,
                                     List<Double> streamsRates, double plainRate, List<Double> plainRates,
                                     String overrides) {
        return new Row("stock events/s through the inventory topology, EOS v2, 1 stream thread, "
                + sites.size() + " locations × " + skus.size() + " SKUs × " + BATCHES + " batches",
                String.format(Locale.ROOT, "%,.0f events/s (median of %d; runs %s)", streamsRate, streamsRates.size(),
                        list(streamsRates)),
                String.format(Locale.ROOT, "plain consumer→apply→producer loop, same rules and outputs from "
                        + "in-memory maps, at-least-once: %,.0f events/s (%s)", plainRate, list(plainRates)),
                streamsRate / plainRate, events + " events per run, read from the start" + overrides);
    }

    /** The seed-scale stock-holding network of issue 4: 1 central + 7 regional warehouses and 300 stores. */
    static List<World.Site> seedScaleSites(World world) {
        List<World.Site> sites = new ArrayList<>();
        sites.addAll(world.sites(LocationKind.CENTRAL_WAREHOUSE));
        sites.addAll(world.sites(LocationKind.REGIONAL_WAREHOUSE));
        sites.addAll(world.sites(LocationKind.STORE));
        return sites;
    }

    private long produceMovements(BenchContext ctx, String bootstrap, List<World.Site> sites, List<String> skus) {
        Serializer<StockMovementRecorded> serializer = ctx.serdes().value(Topics.STOCK_MOVEMENTS).serializer();
        SplittableRandom random = new SplittableRandom(ctx.seed());
        long count = 0;
        try (KafkaProducer<String, byte[]> producer = producer(bootstrap)) {
            for (int batch = 0; batch < BATCHES; batch++) {
                for (World.Site site : sites) {
                    for (String sku : skus) {
                        StockMovementRecorded movement = movement("m" + count, site.locationId(), sku, "B" + batch,
                                1 + random.nextInt(100), Instant.parse("2026-01-05T02:00:00Z").plusMillis(count));
                        producer.send(new ProducerRecord<>(Topics.STOCK_MOVEMENTS.name(), site.locationId(),
                                serializer.serialize(Topics.STOCK_MOVEMENTS.name(), movement)));
                        count++;
                    }
                }
            }
            producer.flush();
        }
        return count;
    }

    /** Events/s while the topology works through {@code events} from the start of the topic. */
    private Run streamsRun(BenchContext ctx, String bootstrap, String applicationId, long events) throws Exception {
        StreamsSettings settings = StreamsSettings.local(applicationId, bootstrap,
                ctx.workDir().resolve("state-" + applicationId));
        try (KafkaStreams streams = new KafkaStreams(InventoryTopology.build(ctx.serdes()), properties(ctx, settings));
             Admin admin = admin(bootstrap)) {
            replaceDeadThreads(streams);
            streams.start();
            return committedRate(admin, applicationId, events, CpuMeter::isStreamThread);
        } finally {
            Utils.delete(ctx.workDir().resolve("state-" + applicationId).toFile());
        }
    }

    /**
     * The project's Streams settings with the topology's own over them, as the app runs it, then the run's
     * overrides (if any).
     */
    private static Properties properties(BenchContext ctx, StreamsSettings settings) {
        Properties props = settings.toProperties();
        props.putAll(InventoryTopology.streamsOverrides());
        props.putAll(ctx.streamsOverrides());
        return props;
    }

    /** Polls the group's committed offsets on the input: rate from the first commit to the last record. */
    private static Run committedRate(Admin admin, String groupId, long events,
                                     java.util.function.Predicate<String> workers) throws Exception {
        long deadline = System.nanoTime() + RUN_LIMIT.toNanos();
        long firstAt = 0;
        long firstCount = 0;
        CpuMeter.Reading firstCpu = null;
        Map<String, Long> firstGroups = null;
        while (System.nanoTime() < deadline) {
            long committed = committed(admin, groupId);
            long now = System.nanoTime();
            if (firstAt == 0 && committed > 0) {
                firstAt = now;
                firstCount = committed;
                firstCpu = CpuMeter.Reading.now(workers);
                firstGroups = CpuMeter.byGroup(workers);
            }
            if (committed >= events) {
                CpuMeter.PerEvent cpu = firstCpu.perEvent(CpuMeter.Reading.now(workers), events - firstCount);
                String groups = CpuMeter.perEventByGroup(firstGroups, CpuMeter.byGroup(workers), events - firstCount);
                return new Run((events - firstCount) / ((now - firstAt) / 1e9), cpu.jvmMicros(), cpu.workerMicros(),
                        groups);
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(groupId + " did not finish within " + RUN_LIMIT);
    }

    private static long committed(Admin admin, String groupId) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(groupId)
                .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
        long sum = 0;
        for (Map.Entry<TopicPartition, OffsetAndMetadata> e : offsets.entrySet()) {
            if (e.getKey().topic().equals(Topics.STOCK_MOVEMENTS.name()) && e.getValue() != null) {
                sum += e.getValue().offset();
            }
        }
        return sum;
    }

    /**
     * The same work without Kafka Streams ({@link PlainInventoryLoop}): read a movement, apply it and re-judge the
     * SKU's alerts from maps in memory (master data read from its topics first, as the topology's global stores
     * are), write the position and any alert, commit offsets after each poll. No transactions, no changelog, no
     * state store: the price of those is what the ratio shows. With {@code exactlyOnce} the same loop reads
     * committed records only and writes in transactions, one every {@link #PLAIN_COMMIT_INTERVAL} like Kafka
     * Streams under exactly-once: the outputs, each changed position to {@link #PLAIN_STATE} (what a store's
     * changelog would carry) and the input offsets, committed together. Its producer has the topology's
     * producer settings ({@code StreamsSettings}: batches up to a commit interval).
     */
    private Run plainRun(BenchContext ctx, String bootstrap, String groupId, long events, boolean exactlyOnce) {
        java.util.function.Predicate<String> loopThread = Thread.currentThread().getName()::equals;
        CpuMeter.Reading firstCpu = null;
        Map<String, Long> firstGroups = null;
        Deserializer<StockMovementRecorded> in = ctx.serdes().value(Topics.STOCK_MOVEMENTS).deserializer();
        Serializer<InventoryPosition> out = ctx.serdes().value(Topics.INVENTORY_POSITIONS).serializer();
        Serializer<Alert> alertOut = ctx.serdes().value(Topics.ALERTS).serializer();
        PlainInventoryLoop loop = new PlainInventoryLoop(
                masterData(ctx, bootstrap, Topics.LOCATIONS, LocationUpserted::getLocationId),
                masterData(ctx, bootstrap, Topics.PRODUCTS, ProductUpserted::getSku));
        long deadline = System.nanoTime() + RUN_LIMIT.toNanos();
        long processed = 0;
        long alerts = 0;
        long firstAt = 0;
        Map<TopicPartition, OffsetAndMetadata> consumed = new HashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = exactlyOnce
                ? transactionalConsumer(bootstrap, groupId) : consumer(bootstrap, groupId, "earliest");
             KafkaProducer<String, byte[]> producer = exactlyOnce
                     ? transactionalProducer(bootstrap, groupId) : producer(bootstrap)) {
            consumer.subscribe(List.of(Topics.STOCK_MOVEMENTS.name()));
            long transactionEndsAt = 0;
            if (exactlyOnce) {
                producer.initTransactions();
            }
            while (processed < events && System.nanoTime() < deadline) {
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(exactlyOnce ? 20 : 200));
                if (exactlyOnce && !consumed.isEmpty() && System.nanoTime() >= transactionEndsAt) {
                    producer.sendOffsetsToTransaction(consumed, consumer.groupMetadata());
                    producer.commitTransaction();
                    consumed.clear();
                }
                if (records.isEmpty()) {
                    continue;
                }
                if (exactlyOnce && consumed.isEmpty()) {
                    producer.beginTransaction();
                    transactionEndsAt = System.nanoTime() + PLAIN_COMMIT_INTERVAL.toNanos();
                }
                if (firstAt == 0) {
                    firstAt = System.nanoTime();
                    firstCpu = CpuMeter.Reading.now(loopThread);
                    firstGroups = CpuMeter.byGroup(loopThread);
                }
                for (ConsumerRecord<String, byte[]> record : records) {
                    StockMovementRecorded movement = in.deserialize(record.topic(), record.value());
                    PlainInventoryLoop.Outputs outputs = loop.apply(movement);
                    InventoryPosition position = outputs.position();
                    String positionKey = InventoryTopology.positionKey(
                            position.getLocationId(), position.getSku(), position.getBatch());
                    byte[] positionBytes = out.serialize(PLAIN_OUTPUT, position);
                    producer.send(new ProducerRecord<>(PLAIN_OUTPUT, positionKey, positionBytes));
                    if (exactlyOnce) {
                        producer.send(new ProducerRecord<>(PLAIN_STATE, positionKey, positionBytes));
                        consumed.put(new TopicPartition(record.topic(), record.partition()),
                                new OffsetAndMetadata(record.offset() + 1));
                    }
                    for (Alert alert : outputs.alerts()) {
                        producer.send(new ProducerRecord<>(PLAIN_ALERTS, alert.getConditionKey(),
                                alertOut.serialize(PLAIN_ALERTS, alert)));
                        alerts++;
                    }
                    processed++;
                }
                if (!exactlyOnce) {
                    consumer.commitAsync();
                }
            }
            if (exactlyOnce) {
                if (!consumed.isEmpty()) {
                    producer.sendOffsetsToTransaction(consumed, consumer.groupMetadata());
                    producer.commitTransaction();
                }
            } else {
                producer.flush();
                consumer.commitSync();
            }
        }
        if (processed < events) {
            throw new IllegalStateException("plain loop processed " + processed + " of " + events + " in " + RUN_LIMIT);
        }
        System.out.printf(Locale.ROOT, "  %s: %,d positions and %,d alerts written%n",
                exactlyOnce ? "exactly-once plain loop" : "plain loop", processed, alerts);
        double rate = processed / ((System.nanoTime() - firstAt) / 1e9);
        CpuMeter.PerEvent cpu = firstCpu.perEvent(CpuMeter.Reading.now(loopThread), processed);
        return new Run(rate, cpu.jvmMicros(), cpu.workerMicros(),
                CpuMeter.perEventByGroup(firstGroups, CpuMeter.byGroup(loopThread), processed));
    }

    /** A compacted master-data topic read from the start to its end, latest value per key. */
    private static <V extends org.apache.avro.specific.SpecificRecord> Map<String, V> masterData(
            BenchContext ctx, String bootstrap, io.channelstream.schemas.Topic<V> topic,
            java.util.function.Function<V, String> id) {
        Deserializer<V> deserializer = ctx.serdes().value(topic).deserializer();
        Map<String, V> latest = new HashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = consumer(bootstrap, "bench-plain-master-data", "earliest")) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    V value = record.value() == null ? null : deserializer.deserialize(record.topic(), record.value());
                    if (value == null) {
                        latest.remove(record.key());
                    } else {
                        latest.put(id.apply(value), value);
                    }
                }
            }
        }
        return latest;
    }

    /**
     * One throughput run: events/s, and CPU per event in microseconds, of the whole harness JVM (the in-process
     * broker included) and of the worker (the stream thread, or the plain loop's thread).
     */
    private record Run(double eventsPerSecond, double jvmCpuMicros, double workerCpuMicros, String cpuByGroup) {}

    private record Latency(double achievedRate, int samples, double p50Millis, double p99Millis,
                           int outputSamples, double outputP50Millis, double outputP99Millis,
                           double brokerP50Millis, double brokerP99Millis) {}

    /** A sampled movement; {@code timed} false for one sent during the warm-up at the rate (reported apart). */
    private record Sample(String eventId, String locationId, String sku, String batch, long sentNanos, boolean timed) {}

    /** How long a sample took to be seen, and whether it counts in the timed figure. */
    private record Seen(boolean timed, long nanos) {}

    /** The timed (or the warm-up's) latencies of a run, in nanoseconds. */
    private static long[] latencies(ConcurrentLinkedQueue<Seen> seen, boolean timed) {
        return seen.stream().filter(s -> s.timed() == timed).mapToLong(Seen::nanos).toArray();
    }

    /**
     * Sends at {@code rate} for {@code bench.latencyWarmUpSeconds} (10) untimed, then for {@link #LATENCY_RUN}; every {@value #LATENCY_SAMPLE_EVERY}th event carries a batch
     * of its own, and a poller asks the read facade for that SKU's stock until the batch is there. A
     * plain consumer on the input topic times the same events, for the broker's share.
     */
    private Latency latencyRun(BenchContext ctx, String bootstrap, List<World.Site> sites, List<String> skus,
                               double rate, long backlog) throws Exception {
        String applicationId = "bench-latency";
        // an application server, as the app has: without one Kafka Streams tells no key's owner (nothing listens
        // there; the harness only reads this instance's stores)
        StreamsSettings settings = StreamsSettings.local(applicationId, bootstrap,
                ctx.workDir().resolve("state-" + applicationId)).withApplicationServer("127.0.0.1:1");
        Properties props = properties(ctx, settings);
        // The backlog is read first, untimed, so the movements timed land on a network that holds stock, as in
        // production: started from the end instead (before 2026-12-04), every location × SKU was new to the store,
        // and each first 1-unit receipt below the location's safety stock raised an alert, a third output record
        // per movement for the first seconds. -Dbench.latencyFromBacklog=false starts from the end as before.
        boolean fromBacklog = !"false".equals(System.getProperty("bench.latencyFromBacklog"));
        if (!fromBacklog) {
            props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "latest");
        }
        Map<String, Sample> pendingStore = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<Sample> sentSamples = new ConcurrentLinkedQueue<>();
        Map<String, Sample> pendingBroker = new ConcurrentHashMap<>();
        Map<String, Sample> pendingOutput = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<Seen> storeNanos = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Seen> brokerNanos = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Seen> outputNanos = new ConcurrentLinkedQueue<>();
        Deserializer<InventoryPosition> positions = ctx.serdes().value(Topics.INVENTORY_POSITIONS).deserializer();
        AtomicBoolean done = new AtomicBoolean();
        Serializer<StockMovementRecorded> serializer = ctx.serdes().value(Topics.STOCK_MOVEMENTS).serializer();
        Deserializer<StockMovementRecorded> deserializer = ctx.serdes().value(Topics.STOCK_MOVEMENTS).deserializer();
        try (KafkaStreams streams = new KafkaStreams(InventoryTopology.build(ctx.serdes()), props)) {
            replaceDeadThreads(streams);
            streams.start();
            long waitUntil = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (streams.state() != KafkaStreams.State.RUNNING && System.nanoTime() < waitUntil) {
                Thread.sleep(100);
            }
            System.out.printf(Locale.ROOT, "  latency run: topology %s (JVM uptime %.1f s)%n", streams.state(),
                    java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0);
            if (fromBacklog) {
                long backlogStart = System.nanoTime();
                try (Admin admin = admin(bootstrap)) {
                    while (committed(admin, applicationId) < backlog
                            && System.nanoTime() - backlogStart < RUN_LIMIT.toNanos()) {
                        Thread.sleep(100);
                    }
                }
                System.out.printf(Locale.ROOT, "  latency run: the %,d-movement backlog applied first in %.1f s (not "
                        + "timed)%n", backlog, (System.nanoTime() - backlogStart) / 1e9);
            }
            // RUNNING is not yet processing: tasks still open their stores and the first transactions start; what
            // is sent meanwhile waits seconds and is start-up, not event→queryable. -Dbench.latencyWarmUp=false
            // times from RUNNING as before.
            if (!"false".equals(System.getProperty("bench.latencyWarmUp"))) {
                warmUp(bootstrap, serializer, positions, sites, skus.get(0));
            }
            Thread poller = new Thread(() -> pollStore(streams, sentSamples, pendingStore, storeNanos, done), "bench-iq-poller");
            Thread watcher = new Thread(() -> watchBroker(bootstrap, deserializer, pendingBroker, brokerNanos, done),
                    "bench-broker-watcher");
            Thread output = new Thread(() -> watchOutput(bootstrap, positions, pendingOutput, outputNanos, done),
                    "bench-output-watcher");
            poller.start();
            watcher.start();
            output.start();
            Thread.sleep(2000); // the watcher's assignment settles
            SplittableRandom random = new SplittableRandom(ctx.seed() + 1);
            long sent = 0;
            long sentTimed = 0;
            // the same traffic first, untimed: a fresh instance's first seconds (every location × SKU new to its
            // store, code paths of the harness's readers still compiling) are not the steady state measured
            long warmUpNanos = Duration.ofSeconds(Long.getLong("bench.latencyWarmUpSeconds", 10)).toNanos();
            Map<String, Long> cpuBefore = null;
            long timedStart = 0;
            long alertsBefore = 0;
            // a debugging aid: -Dbench.latencyJfr=/tmp/x.jfr records the sending (profile settings) and nothing else
            jdk.jfr.Recording recording = null;
            if (System.getProperty("bench.latencyJfr") != null) {
                recording = new jdk.jfr.Recording(jdk.jfr.Configuration.getConfiguration("profile"));
                recording.start();
            }
            long start = System.nanoTime();
            try (KafkaProducer<String, byte[]> producer = producer(bootstrap)) {
                while (System.nanoTime() - start < warmUpNanos + LATENCY_RUN.toNanos()) {
                    boolean timed = System.nanoTime() - start >= warmUpNanos;
                    if (timed && cpuBefore == null) {
                        cpuBefore = CpuMeter.byGroup(CpuMeter::isStreamThread);
                        timedStart = System.nanoTime();
                        alertsBefore = endOffsets(bootstrap, Topics.ALERTS.name());
                    }
                    World.Site site = sites.get(random.nextInt(sites.size()));
                    String sku = skus.get(random.nextInt(skus.size()));
                    boolean sampled = sent % LATENCY_SAMPLE_EVERY == 0;
                    String eventId = "lat" + sent;
                    String batch = sampled ? SAMPLED_BATCH + sent : "B" + random.nextInt(BATCHES);
                    StockMovementRecorded movement = movement(eventId, site.locationId(), sku, batch, 1, Instant.now());
                    byte[] value = serializer.serialize(Topics.STOCK_MOVEMENTS.name(), movement);
                    if (sampled) {
                        Sample sample = new Sample(eventId, site.locationId(), sku, batch, System.nanoTime(), timed);
                        pendingStore.put(eventId, sample);
                        sentSamples.add(sample);
                        pendingBroker.put(eventId, sample);
                        pendingOutput.put("position:" + eventId, sample);
                    }
                    // a sampled movement carries a header, so the broker watcher decodes only the samples
                    ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.STOCK_MOVEMENTS.name(),
                            site.locationId(), value);
                    if (sampled) {
                        record.headers().add(SAMPLE_HEADER, new byte[0]);
                    }
                    producer.send(record);
                    sent++;
                    if (timed) {
                        sentTimed++;
                    }
                    long due = start + (long) (sent * 1e9 / rate);
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                }
                producer.flush();
            }
            double achieved = sentTimed / ((System.nanoTime() - timedStart) / 1e9);
            System.out.println("  latency run, CPU µs per event by thread group while sending, timed part (worker = "
                    + "stream thread): " + CpuMeter.perEventByGroup(cpuBefore, CpuMeter.byGroup(CpuMeter::isStreamThread),
                    sentTimed) + "; alert records written meanwhile (committed or not): "
                    + (endOffsets(bootstrap, Topics.ALERTS.name()) - alertsBefore));
            if (recording != null) {
                recording.stop();
                recording.dump(Path.of(System.getProperty("bench.latencyJfr")));
                recording.close();
            }
            long drainUntil = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while ((!pendingStore.isEmpty() || !pendingBroker.isEmpty() || !pendingOutput.isEmpty())
                    && System.nanoTime() < drainUntil) {
                Thread.sleep(50);
            }
            done.set(true);
            poller.join(5000);
            watcher.join(5000);
            output.join(5000);
            long[] store = latencies(storeNanos, true);
            long[] broker = latencies(brokerNanos, true);
            long[] committed = latencies(outputNanos, true);
            if (warmUpNanos > 0) {
                long[] warm = latencies(storeNanos, false);
                System.out.printf(Locale.ROOT, "  latency run: warm-up at the rate, %d s untimed: store read p50 %.1f ms, "
                                + "p99 %.1f ms (%d samples)%n", warmUpNanos / 1_000_000_000L,
                        Stats.millis(Stats.percentile(warm, 50)), Stats.millis(Stats.percentile(warm, 99)), warm.length);
            }
            System.out.printf(Locale.ROOT, "  sent %,.0f events/s; samples: %d queryable, %d in committed output, "
                            + "%d seen by a plain consumer; missing after 20 s: %d, %d, %d%n", achieved, store.length,
                    committed.length, broker.length, pendingStore.size(), pendingOutput.size(), pendingBroker.size());
            return new Latency(achieved, store.length, Stats.millis(Stats.percentile(store, 50)),
                    Stats.millis(Stats.percentile(store, 99)), committed.length,
                    Stats.millis(Stats.percentile(committed, 50)), Stats.millis(Stats.percentile(committed, 99)),
                    Stats.millis(Stats.percentile(broker, 50)), Stats.millis(Stats.percentile(broker, 99)));
        } finally {
            Utils.delete(ctx.workDir().resolve("state-" + applicationId).toFile());
        }
    }

    /**
     * One movement per location, then waits (up to a minute) until every one's position is on the output, read
     * committed: from then on every partition's task processes and commits.
     */
    private static void warmUp(String bootstrap, Serializer<StockMovementRecorded> serializer,
                               Deserializer<InventoryPosition> positions, List<World.Site> sites, String sku) {
        Map<String, Object> config = new HashMap<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class));
        long start = System.nanoTime();
        java.util.Set<String> waiting = new java.util.HashSet<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config);
             KafkaProducer<String, byte[]> producer = producer(bootstrap)) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.INVENTORY_POSITIONS.name()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position); // the end now, before the warm-up's positions are written
            for (World.Site site : sites) {
                String eventId = "warm-up-" + site.locationId();
                waiting.add("position:" + eventId);
                producer.send(new ProducerRecord<>(Topics.STOCK_MOVEMENTS.name(), site.locationId(),
                        serializer.serialize(Topics.STOCK_MOVEMENTS.name(),
                                movement(eventId, site.locationId(), sku, "WARM-UP", 1, Instant.now()))));
            }
            producer.flush();
            long deadline = start + Duration.ofSeconds(60).toNanos();
            while (!waiting.isEmpty() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    waiting.remove(positions.deserialize(record.topic(), record.value()).getEventId());
                }
            }
        }
        System.out.printf(Locale.ROOT, "  latency run: warm-up, one movement per location, committed on the output "
                + "after %.1f s (%d of %d not seen; not timed)%n", (System.nanoTime() - start) / 1e9, waiting.size(),
                sites.size());
    }

    /**
     * Polls for each pending sample through the read facade the API uses ({@link InventoryReads#stockLevel} on the
     * partition that owns the location) until the sample's batch is there: reads racing the topology's writes, as
     * in the app. The facade reads through IQv1; an IQv2 read here deadlocked Kafka Streams 4.2.1 at once
     * (KAFKA-19629: an IQv2 query takes the store's Position lock, then the store lock; a put the reverse).
     *
     * <p>Samples are checked per partition in the order they were sent, and a sweep stops at a partition's first
     * sample not yet visible: a task applies its partition's records in order, so no later sample of it can be
     * visible before. That keeps the poller's reads (which compete with the stream thread for CPU and for the
     * store's lock) to about one per partition per sweep however far behind the topology is.
     */
    private static void pollStore(KafkaStreams streams, ConcurrentLinkedQueue<Sample> sent, Map<String, Sample> pending,
                                  ConcurrentLinkedQueue<Seen> nanos, AtomicBoolean done) {
        InventoryReads reads = new InventoryReads(streams);
        Map<String, Integer> partitionOf = new HashMap<>();
        Map<Integer, java.util.ArrayDeque<Sample>> byPartition = new java.util.TreeMap<>();
        java.util.ArrayDeque<Sample> ownerUnknown = new java.util.ArrayDeque<>();
        Map<String, Long> misses = new java.util.TreeMap<>();
        // a debugging aid: -Dbench.latencyTimeline=true prints the slowest store read of each half second of sending
        Map<Long, List<Long>> timeline = Boolean.getBoolean("bench.latencyTimeline") ? new java.util.TreeMap<>() : null;
        long[] firstSentNanos = {0};
        while (!done.get()) {
            for (Sample sample = sent.poll(); sample != null; sample = sent.poll()) {
                ownerUnknown.add(sample);
            }
            while (!ownerUnknown.isEmpty()) {
                Sample sample = ownerUnknown.peek();
                Integer partition = partitionOf.get(sample.locationId());
                if (partition == null) {
                    KeyQueryMetadata owner = reads.ownerOf(sample.locationId());
                    if (owner == null || KeyQueryMetadata.NOT_AVAILABLE.equals(owner)) {
                        misses.merge("owner not known", 1L, Long::sum);
                        break; // rebalancing: ask again on the next sweep
                    }
                    partition = owner.partition();
                    partitionOf.put(sample.locationId(), partition);
                }
                byPartition.computeIfAbsent(partition, p -> new java.util.ArrayDeque<>()).add(ownerUnknown.poll());
            }
            for (Map.Entry<Integer, java.util.ArrayDeque<Sample>> queue : byPartition.entrySet()) {
                while (!queue.getValue().isEmpty()) {
                    Sample sample = queue.getValue().peek();
                    LocalRead<StockLevel> read = reads.stockLevel(sample.locationId(), sample.sku(), queue.getKey(),
                            false);
                    if (read instanceof LocalRead.Served<StockLevel> served && served.value().batches().stream()
                            .anyMatch(batch -> batch.getBatch().equals(sample.batch()))) {
                        long latency = System.nanoTime() - sample.sentNanos();
                        nanos.add(new Seen(sample.timed(), latency));
                        if (timeline != null) {
                            if (firstSentNanos[0] == 0) {
                                firstSentNanos[0] = sample.sentNanos();
                            }
                            timeline.computeIfAbsent((sample.sentNanos() - firstSentNanos[0]) / 500_000_000L,
                                    half -> new ArrayList<>()).add(latency);
                        }
                        pending.remove(sample.eventId());
                        queue.getValue().poll();
                    } else {
                        if (read instanceof LocalRead.Unavailable<StockLevel> unavailable) {
                            misses.merge(unavailable.reason(), 1L, Long::sum);
                        }
                        break;
                    }
                }
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
        if (timeline != null) {
            StringBuilder line = new StringBuilder("  slowest store read per half second sent (ms):");
            timeline.forEach((half, latencies) -> line.append(" ").append(
                    latencies.stream().mapToLong(Long::longValue).max().orElse(0) / 1_000_000));
            System.out.println(line);
            StringBuilder medians = new StringBuilder("  median store read per half second sent (ms):");
            timeline.forEach((half, latencies) -> medians.append(" ").append(
                    (long) (Stats.percentile(latencies.stream().mapToLong(Long::longValue).toArray(), 50) / 1_000_000)));
            System.out.println(medians);
        }
        if (!misses.isEmpty()) {
            System.out.println("  stock reads not answered (reason: reads): " + misses);
        }
    }

    private static void watchBroker(String bootstrap, Deserializer<StockMovementRecorded> deserializer,
                                    Map<String, Sample> pending, ConcurrentLinkedQueue<Seen> nanos, AtomicBoolean done) {
        try (KafkaConsumer<String, byte[]> consumer = consumer(bootstrap, "bench-latency-watcher", "latest")) {
            consumer.subscribe(List.of(Topics.STOCK_MOVEMENTS.name()));
            while (!done.get()) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(50))) {
                    if (record.headers().lastHeader(SAMPLE_HEADER) == null) {
                        continue; // not a sample: not decoded (decoding all of them cost the harness a tenth of a core)
                    }
                    long now = System.nanoTime();
                    String eventId = deserializer.deserialize(record.topic(), record.value()).getEventId();
                    Sample sample = pending.remove(eventId);
                    if (sample != null) {
                        nanos.add(new Seen(sample.timed(), now - sample.sentNanos()));
                    }
                }
            }
        }
    }

    /** As the app's TopologyRunner does: a stream thread that dies is replaced, the instance keeps running. */
    private static void replaceDeadThreads(KafkaStreams streams) {
        streams.setUncaughtExceptionHandler(exception -> {
            System.out.println("  stream thread died (" + exception.getMessage() + "); replacing it");
            return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse
                    .REPLACE_THREAD;
        });
    }

    /** Times a sample's position on the output topic as a read_committed consumer sees it. */
    private static void watchOutput(String bootstrap, Deserializer<InventoryPosition> deserializer,
                                    Map<String, Sample> pending, ConcurrentLinkedQueue<Seen> nanos, AtomicBoolean done) {
        Map<String, Object> config = new HashMap<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "bench-latency-output",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class));
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config)) {
            consumer.subscribe(List.of(Topics.INVENTORY_POSITIONS.name()));
            while (!done.get()) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(50))) {
                    if (record.key() == null || !record.key().contains(SAMPLED_BATCH_IN_KEY)) {
                        continue; // a sample's position is keyed with its own batch (LAT<n>): only those are decoded
                    }
                    long now = System.nanoTime();
                    Sample sample = pending.remove(deserializer.deserialize(record.topic(), record.value()).getEventId());
                    if (sample != null) {
                        nanos.add(new Seen(sample.timed(), now - sample.sentNanos()));
                    }
                }
            }
        }
    }

    static StockMovementRecorded movement(String eventId, String locationId, String sku, String batch, int quantity,
                                          Instant at) {
        return StockMovementRecorded.newBuilder().setEventId(eventId).setOccurredAt(at).setSource("bench")
                .setLocationId(locationId).setSku(sku).setBatch(batch).setKind(MovementKind.RECEIPT)
                .setQuantity(quantity).setProductionDate(LocalDate.of(2025, 12, 1))
                .setExpiryDate(LocalDate.of(2027, 12, 1)).setReference(null).setUnitPriceFen(null).build();
    }

    static KafkaProducer<String, byte[]> producer(String bootstrap) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.BATCH_SIZE_CONFIG, 128 * 1024,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
    }

    /** The exactly-once plain loop's producer: transactional, with the producer settings the topology runs with. */
    private static KafkaProducer<String, byte[]> transactionalProducer(String bootstrap, String transactionalId) {
        Map<String, Object> config = new HashMap<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.BATCH_SIZE_CONFIG, 128 * 1024,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
        String producerPrefix = org.apache.kafka.streams.StreamsConfig.PRODUCER_PREFIX;
        Properties topologyProps = StreamsSettings.local("bench-plain", bootstrap, Path.of("unused")).toProperties();
        topologyProps.putAll(InventoryTopology.streamsOverrides());
        topologyProps.forEach((key, value) -> {
            if (key.toString().startsWith(producerPrefix)) {
                config.put(key.toString().substring(producerPrefix.length()), value);
            }
        });
        return new KafkaProducer<>(config);
    }

    private static KafkaConsumer<String, byte[]> transactionalConsumer(String bootstrap, String groupId) {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, groupId,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class));
    }

    private static KafkaConsumer<String, byte[]> consumer(String bootstrap, String groupId, String reset) {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, groupId,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, reset,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class));
    }

    /** The sum of a topic's end offsets (transaction markers included). */
    private static long endOffsets(String bootstrap, String topic) throws Exception {
        try (KafkaConsumer<String, byte[]> consumer = consumer(bootstrap, "bench-end-offsets", "latest")) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            return consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private static Admin admin(String bootstrap) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
    }

    private static String list(List<Double> rates) {
        return String.join(", ", rates.stream().map(r -> String.format(Locale.ROOT, "%,.0f", r)).toList());
    }
}
