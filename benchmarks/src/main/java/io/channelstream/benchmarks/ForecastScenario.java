package io.channelstream.benchmarks;

import io.channelstream.events.DemandFeatures;
import io.channelstream.events.LateEvent;
import io.channelstream.events.OrderEvent;
import io.channelstream.events.OrderPlaced;
import io.channelstream.events.OrderSuggestion;
import io.channelstream.forecast.ForecastConfig;
import io.channelstream.forecast.ForecastTopology;
import io.channelstream.forecast.PlainForecast;
import io.channelstream.schemas.Topics;
import io.channelstream.simulator.KafkaEventSink;
import io.channelstream.simulator.SimEvent;
import io.channelstream.streams.StreamsSettings;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
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

/**
 * The simulator's orders through the forecast feature topology ({@code ForecastTopology.build} with
 * {@code ForecastConfig.DEFAULT}, as the app builds it) with exactly-once v2, counted in order lines, twice: the
 * intake (orders committed) and end to end (until the last features of the backlog are published, every
 * repartition consumed). Beside it, in the same run, the same steps in plain maps on one thread
 * ({@link PlainForecast}: validation, lateness, order memory, dealer and region weekly tallies, in-transit units,
 * category sums, exact co-purchase baskets, features and suggestions of the changed keys every second, written
 * with the same Avro serde), at-least-once, without stores, changelogs, repartitions or transactions. Then, once,
 * a sustained run: issue 6's 20,000 order lines/s offered for 30 s (the backlog's orders replayed as new orders
 * stamped now) into a fresh application, with each sampled order's latency to its features and how many orders
 * are not yet committed every 10 s: whether the topology keeps up at that rate, not only how fast it empties a
 * backlog.
 *
 * <pre>
 * mvn -o -q -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar --only forecast --no-doc
 * java -Dbench.forecast.warmUp=true -jar benchmarks/target/benchmarks.jar --only forecast --no-doc   # warm JIT
 * java -Dbench.forecast.busyPublishes=100 -jar benchmarks/target/benchmarks.jar --only forecast --no-doc   # cap
 * </pre>
 */
final class ForecastScenario implements Scenario {

    static final long BACKLOG_LINES = 110_000;
    /** {@code -Dbench.forecast.warmUp=true}: one untimed run of each before the timed repetitions. */
    static final String WARM_UP_PROPERTY = "bench.forecast.warmUp";
    /**
     * {@code -Dbench.forecast.busyPublishes=N}: the topology and the plain loop publish at most N keys per task and
     * interval while orders keep coming ({@code ForecastConfig.maxPublishesPerBusyInterval}; the app's is 500), to
     * price that cap; the rows say when it is not the app's.
     */
    static final String BUSY_PUBLISHES_PROPERTY = "bench.forecast.busyPublishes";
    /** Another live publication budget (ms of a stream thread per publish interval) than the app's, to price it. */
    static final String LIVE_BUDGET_PROPERTY = "bench.forecast.liveBudgetMillis";
    static final ForecastConfig CONFIG = configOfThisRun();
    private static final String PLAIN_FEATURES = "bench.plain-demand-features";
    private static final String PLAIN_SUGGESTIONS = "bench.plain-order-suggestions";
    private static final String PLAIN_LATE = "bench.plain-late-events";
    /** How long the outputs must stay still before the backlog counts as published. */
    private static final Duration QUIET = Duration.ofSeconds(3);
    private static final Duration RUN_LIMIT = Duration.ofMinutes(4);
    /** Issue 6's rate: the sustained row offers it for {@link #SUSTAINED_RUN}, orders stamped now. */
    static final double SUSTAINED_LINES_PER_SECOND = 20_000;
    private static final Duration SUSTAINED_RUN = Duration.ofSeconds(30);
    private static final Duration SUSTAINED_SLICE = Duration.ofSeconds(10);
    /** After the offer ends, how long sampled orders may still wait for their features. */
    private static final Duration SUSTAINED_DRAIN = Duration.ofSeconds(30);
    private static final int SUSTAINED_SAMPLE_EVERY = 20;

    /** One run: rates from the first commit, CPU per line over the same span, what was published. */
    record Run(double intakeLinesPerSecond, double endToEndLinesPerSecond, double workerMicrosPerLine,
               double jvmMicrosPerLine, long featuresPublished, int keys, String cpuByGroup) {}

    @Override
    public String name() {
        return "forecast feature topology (exactly-once v2)";
    }

    @Override
    public List<Row> run(BenchContext ctx) throws Exception {
        String bootstrap = ctx.kafka().bootstrapServers();
        KafkaEventSink.createTopics(bootstrap, (short) 1);
        try (Admin admin = admin(bootstrap)) {
            freshPositions(admin);
            admin.createTopics(List.of(new NewTopic(PLAIN_FEATURES, Topics.FACT_PARTITIONS, (short) 1),
                    new NewTopic(PLAIN_SUGGESTIONS, Topics.FACT_PARTITIONS, (short) 1),
                    new NewTopic(PLAIN_LATE, Topics.FACT_PARTITIONS, (short) 1))).all().get();
        }
        SimTraffic traffic = SimTraffic.of(ctx, 0, BACKLOG_LINES);
        List<SimEvent> orders = new ArrayList<>();
        long lines = 0;
        for (SimEvent event : traffic.orders) {
            if (lines >= BACKLOG_LINES) {
                break;
            }
            orders.add(event);
            if (((OrderEvent) event.value()).getPayload() instanceof OrderPlaced placed) {
                lines += placed.getLines().size();
            }
        }
        List<SimEvent> masterData = ctx.world().masterDataEvents(Instant.parse("2026-01-01T00:00:00Z"), "bench-forecast");
        try (KafkaEventSink sink = new KafkaEventSink(bootstrap, ctx.serdes())) {
            masterData.forEach(sink::accept);
            sink.flush();
            orders.forEach(sink::accept);
        }
        double linesPerOrder = (double) lines / orders.size();
        io.channelstream.forecast.model.WeekCalendar weeks = CONFIG.weeks();
        int weekStarts = io.channelstream.forecast.model.WeekCalendar.weeksBetween(
                weeks.weekStart(orders.get(0).occurredAt()), weeks.weekStart(orders.get(orders.size() - 1).occurredAt()));
        System.out.printf(Locale.ROOT, "  %,d orders (%,d lines, %.2f per order) on %s%n", orders.size(), lines,
                linesPerOrder, Topics.ORDERS.name());
        if (Boolean.getBoolean(WARM_UP_PROPERTY)) {
            // the same runs once, untimed: the JIT compiles the topology's and the loop's code before the timed runs
            Run t = topologyRun(ctx, "bench-forecast-warm-up", orders.size(), linesPerOrder);
            Run p = plainRun(ctx, masterData, "bench-plain-forecast-warm-up", orders.size(), lines);
            System.out.printf(Locale.ROOT, "  warm-up (not counted): end to end %,.0f lines/s (plain loop %,.0f); "
                    + "stream thread %.1f µs, JVM %.1f µs a line%n", t.endToEndLinesPerSecond(),
                    p.endToEndLinesPerSecond(), t.workerMicrosPerLine(), t.jvmMicrosPerLine());
        }
        List<Run> topology = new ArrayList<>();
        List<Run> plain = new ArrayList<>();
        for (int rep = 1; rep <= ctx.repetitions(); rep++) {
            topology.add(topologyRun(ctx, "bench-forecast-" + rep, orders.size(), linesPerOrder));
            plain.add(plainRun(ctx, masterData, "bench-plain-forecast-" + rep, orders.size(), lines));
            Run t = topology.get(rep - 1);
            Run p = plain.get(rep - 1);
            System.out.printf(Locale.ROOT, "  rep %d: intake %,.0f lines/s (plain loop %,.0f); end to end %,.0f lines/s "
                            + "(plain loop %,.0f); CPU per line: stream thread %.1f µs, JVM %.1f µs (plain loop: loop "
                            + "thread %.1f µs, JVM %.1f µs); %,d features published (plain loop %,d), %.2f a line; load %s%n"
                            + "    topology CPU µs per line by thread group: %s%n", rep,
                    t.intakeLinesPerSecond(), p.intakeLinesPerSecond(), t.endToEndLinesPerSecond(),
                    p.endToEndLinesPerSecond(), t.workerMicrosPerLine(), t.jvmMicrosPerLine(), p.workerMicrosPerLine(),
                    p.jvmMicrosPerLine(), t.featuresPublished(), p.featuresPublished(),
                    (double) t.featuresPublished() / lines, load(), t.cpuByGroup());
        }
        Sustained sustained = sustainedRun(ctx, orders);
        String overrides = (ctx.streamsOverrides().isEmpty() ? ""
                : "; Streams settings laid over the project's: " + ctx.streamsOverrides())
                + (CONFIG.equals(ForecastConfig.DEFAULT) ? "" : "; NOT the app's forecast config: at most "
                        + CONFIG.maxPublishesPerBusyInterval() + " publications per task and busy interval (-D"
                        + BUSY_PUBLISHES_PROPERTY + "), live " + CONFIG.livePublishBudgetMillis()
                        + " ms of a stream thread per interval (-D" + LIVE_BUDGET_PROPERTY + ")");
        String input = String.format(Locale.ROOT, "%,d orders, %,d lines (%.2f per order) per run, read from the start "
                + "(orders only: no receipts, sales or positions)", orders.size(), lines, linesPerOrder);
        String loop = "plain loop (PlainForecast: the same steps in plain maps, one thread, at-least-once, "
                + "no stores, changelog, repartition or transaction)";
        return List.of(
                rateRow("order lines/s through the forecast feature topology, EOS v2, 1 stream thread: intake "
                        + "(orders committed)", topology, plain, Run::intakeLinesPerSecond, loop,
                        input + "; lines/s = committed orders/s × lines per order, from the first commit" + overrides),
                rateRow("order lines/s end to end: until the backlog's last features and suggestions are published "
                        + "(outputs still for " + QUIET.toSeconds() + " s, every repartition consumed)", topology, plain,
                        Run::endToEndLinesPerSecond, loop, String.format(Locale.ROOT, "features published per run: "
                                + "topology %s, plain loop %s (each marked dealer × SKU once per second at most; "
                                + "%,d per task while orders keep coming; %,d dealer × SKU keys in the backlog, %d week starts "
                                + "in it, each marking every key held)", list(topology, Run::featuresPublished),
                                list(plain, Run::featuresPublished),
                                CONFIG.maxPublishesPerBusyInterval(), plain.get(0).keys(), weekStarts)),
                new Row("CPU per order line, same runs, end to end (CPU time: less swayed than wall-clock rates by "
                        + "other load on the machine)",
                        String.format(Locale.ROOT, "topology: stream thread %.1f µs, whole JVM %.1f µs (medians)",
                                median(topology, Run::workerMicrosPerLine), median(topology, Run::jvmMicrosPerLine)),
                        String.format(Locale.ROOT, "plain loop: loop thread %.1f µs, whole JVM %.1f µs",
                                median(plain, Run::workerMicrosPerLine), median(plain, Run::jvmMicrosPerLine)),
                        median(plain, Run::jvmMicrosPerLine) / median(topology, Run::jvmMicrosPerLine),
                        String.format(Locale.ROOT, "ratio: plain JVM CPU / topology JVM CPU (JVM = the harness with its "
                                + "in-process broker); one stream thread at a full core would do ≈ %,.0f lines/s",
                                1e6 / median(topology, Run::workerMicrosPerLine))),
                sustained.row(overrides));
    }

    /**
     * One sustained run: the backlog's orders replayed as new orders (fresh order ids, stamped now) at
     * {@link #SUSTAINED_LINES_PER_SECOND} for {@link #SUSTAINED_RUN}, into a fresh application that starts at the
     * inputs' ends (its offsets set there before it starts). Every {@link #SUSTAINED_SAMPLE_EVERY}th order is a sample:
     * its latency is from its send to the first features (read_committed) of its first line's dealer × SKU as of
     * its time or later (a feature's {@code occurredAt} is the newest fact counted in its weeks).
     */
    private static Sustained sustainedRun(BenchContext ctx, List<SimEvent> backlog) throws Exception {
        String bootstrap = ctx.kafka().bootstrapServers();
        String applicationId = "bench-forecast-sustained";
        List<OrderEvent> placed = new ArrayList<>();
        for (SimEvent event : backlog) {
            if (((OrderEvent) event.value()).getPayload() instanceof OrderPlaced) {
                placed.add((OrderEvent) event.value());
            }
        }
        StreamsSettings settings = StreamsSettings.local(applicationId, bootstrap,
                ctx.workDir().resolve("state-" + applicationId));
        Properties props = settings.toProperties();
        props.putAll(ctx.streamsOverrides());
        Serializer<OrderEvent> serializer = ctx.serdes().value(Topics.ORDERS).serializer();
        Deserializer<DemandFeatures> features = ctx.serdes().value(Topics.DEMAND_FEATURES).deserializer();
        Map<String, long[]> pending = new java.util.concurrent.ConcurrentHashMap<>(); // key -> {occurredAt, sent at}
        java.util.concurrent.ConcurrentLinkedQueue<long[]> latencies = new java.util.concurrent.ConcurrentLinkedQueue<>();
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        try (Admin admin = admin(bootstrap)) {
            startAtTheEnd(admin, applicationId, List.of(Topics.ORDERS.name(), Topics.STOCK_MOVEMENTS.name(),
                    Topics.INVENTORY_POSITIONS.name()));
            java.util.concurrent.CountDownLatch watching = new java.util.concurrent.CountDownLatch(1);
            Thread watcher = new Thread(() -> {
                try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
                    List<TopicPartition> partitions = consumer.partitionsFor(Topics.DEMAND_FEATURES.name()).stream()
                            .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
                    consumer.assign(partitions);
                    consumer.seekToEnd(partitions);
                    partitions.forEach(consumer::position); // resolved now: only features from here on
                    watching.countDown();
                    while (!done.get()) {
                        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(20))) {
                            long now = System.nanoTime();
                            long[] sample = record.key() == null ? null : pending.get(record.key());
                            if (sample != null && features.deserialize(record.topic(), record.value()).getOccurredAt()
                                    .toEpochMilli() >= sample[0] && pending.remove(record.key(), sample)) {
                                latencies.add(new long[] {sample[1], now - sample[1]});
                            }
                        }
                    }
                }
            }, "bench-features-watcher");
            watcher.setDaemon(true);
            watcher.start();
            if (!watching.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the features watcher did not start");
            }
            try (KafkaStreams streams = new KafkaStreams(ForecastTopology.build(CONFIG, ctx.serdes()),
                    props);
                 KafkaProducer<String, byte[]> producer = producer(bootstrap)) {
                streams.start();
                long runningBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (streams.state() != KafkaStreams.State.RUNNING && System.nanoTime() < runningBy) {
                    Thread.sleep(50);
                }
                List<String> lagBySlice = new ArrayList<>();
                long lines = 0;
                long sent = 0;
                int samples = 0;
                long start = System.nanoTime();
                long nextSlice = start + SUSTAINED_SLICE.toNanos();
                CpuMeter.Reading cpuBefore = CpuMeter.Reading.now(CpuMeter::isStreamThread);
                long featuresBefore = endOffsets(admin, Topics.DEMAND_FEATURES.name());
                while (System.nanoTime() - start < SUSTAINED_RUN.toNanos()) {
                    OrderEvent replayed = placed.get((int) (sent % placed.size()));
                    Instant now = Instant.now();
                    OrderEvent order = OrderEvent.newBuilder(replayed).setEventId("bench-sustained-" + sent)
                            .setOrderId("bench-sustained-" + sent).setOccurredAt(now).build();
                    OrderPlaced payload = (OrderPlaced) order.getPayload();
                    String sampleKey = Topics.key(payload.getDealerId(), payload.getLines().get(0).getSku());
                    boolean sample = sent % SUSTAINED_SAMPLE_EVERY == 0 && !pending.containsKey(sampleKey);
                    byte[] value = serializer.serialize(Topics.ORDERS.name(), order);
                    if (sample) {
                        pending.put(sampleKey, new long[] {now.toEpochMilli(), System.nanoTime()});
                        samples++;
                    }
                    producer.send(new ProducerRecord<>(Topics.ORDERS.name(), order.getOrderId(), value));
                    sent++;
                    lines += payload.getLines().size();
                    if (System.nanoTime() >= nextSlice) {
                        lagBySlice.add(String.format(Locale.ROOT, "%,d", endOffsets(admin, Topics.ORDERS.name())
                                - committed(admin, applicationId, Topics.ORDERS.name(), new HashMap<>())));
                        nextSlice += SUSTAINED_SLICE.toNanos();
                    }
                    long wait = start + (long) (lines * 1e9 / SUSTAINED_LINES_PER_SECOND) - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                }
                producer.flush();
                double seconds = (System.nanoTime() - start) / 1e9;
                lagBySlice.add(String.format(Locale.ROOT, "%,d", endOffsets(admin, Topics.ORDERS.name())
                        - committed(admin, applicationId, Topics.ORDERS.name(), new HashMap<>())));
                CpuMeter.PerEvent perLine = cpuBefore.perEvent(CpuMeter.Reading.now(CpuMeter::isStreamThread), lines);
                long featuresPublished = endOffsets(admin, Topics.DEMAND_FEATURES.name()) - featuresBefore;
                long drainUntil = System.nanoTime() + SUSTAINED_DRAIN.toNanos();
                while (!pending.isEmpty() && System.nanoTime() < drainUntil) {
                    Thread.sleep(50);
                }
                done.set(true);
                watcher.join(5000);
                Sustained result = Sustained.of(lines / seconds, sent / seconds, samples, pending.size(), latencies,
                        start, lagBySlice, perLine, (double) featuresPublished / lines);
                System.out.println("  " + result.summary());
                return result;
            }
        } finally {
            done.set(true);
            Utils.delete(ctx.workDir().resolve("state-" + applicationId).toFile());
        }
    }

    /** Commits the ends of {@code topics} as {@code groupId}'s offsets, so an application of that id starts there. */
    private static void startAtTheEnd(Admin admin, String groupId, List<String> topics) throws Exception {
        Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
        for (var description : admin.describeTopics(topics).allTopicNames().get(10, TimeUnit.SECONDS).values()) {
            description.partitions().forEach(p -> partitions.put(new TopicPartition(description.name(), p.partition()),
                    OffsetSpec.latest()));
        }
        Map<TopicPartition, OffsetAndMetadata> ends = new HashMap<>();
        admin.listOffsets(partitions).all().get(10, TimeUnit.SECONDS)
                .forEach((partition, info) -> ends.put(partition, new OffsetAndMetadata(info.offset())));
        admin.alterConsumerGroupOffsets(groupId, ends).all().get(10, TimeUnit.SECONDS);
    }

    /** What the sustained run saw. */
    record Sustained(double linesPerSecond, double ordersPerSecond, int samples, int missing, long[] latencyNanos,
                     List<String> latencyBySlice, List<String> ordersBehindBySlice, CpuMeter.PerEvent perLine,
                     double featuresPerLine) {

        static Sustained of(double linesPerSecond, double ordersPerSecond, int samples, int missing,
                            java.util.Collection<long[]> latencies, long start, List<String> lag,
                            CpuMeter.PerEvent perLine, double featuresPerLine) {
            long[] all = latencies.stream().mapToLong(pair -> pair[1]).toArray();
            List<String> bySlice = new ArrayList<>();
            for (long slice = 0; slice * SUSTAINED_SLICE.toNanos() < SUSTAINED_RUN.toNanos(); slice++) {
                long from = start + slice * SUSTAINED_SLICE.toNanos();
                long until = from + SUSTAINED_SLICE.toNanos();
                long[] inSlice = latencies.stream().filter(pair -> pair[0] >= from && pair[0] < until)
                        .mapToLong(pair -> pair[1]).toArray();
                bySlice.add(inSlice.length == 0 ? "none" : String.format(Locale.ROOT, "p50 %,.0f ms, p99 %,.0f ms (%d)",
                        Stats.millis(Stats.percentile(inSlice, 50)), Stats.millis(Stats.percentile(inSlice, 99)),
                        inSlice.length));
            }
            return new Sustained(linesPerSecond, ordersPerSecond, samples, missing, all, bySlice, lag, perLine,
                    featuresPerLine);
        }

        String summary() {
            return String.format(Locale.ROOT, "sustained: offered %,.0f lines/s (%,.0f orders/s) for %d s; orders not yet "
                            + "committed every %d s: %s; order->features by %d s of sending: %s; %d of %d samples without "
                            + "features after %d s; stream thread %.1f µs, JVM %.1f µs a line; %.2f features a line",
                    linesPerSecond, ordersPerSecond, SUSTAINED_RUN.toSeconds(), SUSTAINED_SLICE.toSeconds(),
                    String.join(" / ", ordersBehindBySlice), SUSTAINED_SLICE.toSeconds(),
                    String.join("; ", latencyBySlice), missing, samples, SUSTAINED_DRAIN.toSeconds(),
                    perLine.workerMicros(), perLine.jvmMicros(), featuresPerLine);
        }

        Row row(String settingsNote) {
            String latency = latencyNanos.length == 0 ? "no sample got its features"
                    : String.format(Locale.ROOT, "order->features p50 %,.0f ms, p99 %,.0f ms (%d of %d samples; %d "
                            + "without features %d s after the offer ended)",
                    Stats.millis(Stats.percentile(latencyNanos, 50)), Stats.millis(Stats.percentile(latencyNanos, 99)),
                    latencyNanos.length, samples, missing, SUSTAINED_DRAIN.toSeconds());
            return new Row(String.format(Locale.ROOT, "sustained: %,.0f order lines/s offered for %d s (orders replayed "
                            + "stamped now, fresh state), EOS v2, 1 stream thread", linesPerSecond,
                            SUSTAINED_RUN.toSeconds()),
                    latency + "; orders not yet committed every " + SUSTAINED_SLICE.toSeconds() + " s: "
                            + String.join(" / ", ordersBehindBySlice),
                    "—", Double.NaN, String.format(Locale.ROOT, "by %d s of sending: %s; stream thread %.1f µs, JVM "
                                    + "%.1f µs a line; %.2f features published a line; 1 order in %d sampled (its first "
                                    + "line's dealer × SKU, one sample per key at a time)%s",
                            SUSTAINED_SLICE.toSeconds(), String.join("; ", latencyBySlice), perLine.workerMicros(),
                            perLine.jvmMicros(), featuresPerLine, SUSTAINED_SAMPLE_EVERY, settingsNote));
        }
    }

    private static Row rateRow(String scenario, List<Run> topology, List<Run> plain, ToDoubleFunction<Run> rate,
                               String loop, String note) {
        double figure = median(topology, rate);
        double baseline = median(plain, rate);
        return new Row(scenario,
                String.format(Locale.ROOT, "%,.0f lines/s (median of %d; runs %s)", figure, topology.size(),
                        list(topology, rate)),
                String.format(Locale.ROOT, "%s: %,.0f lines/s (%s)", loop, baseline, list(plain, rate)),
                figure / baseline, note);
    }

    private static ForecastConfig configOfThisRun() {
        ForecastConfig app = ForecastConfig.DEFAULT;
        Integer busy = Integer.getInteger(BUSY_PUBLISHES_PROPERTY);
        Long liveBudget = Long.getLong(LIVE_BUDGET_PROPERTY);
        if (busy == null && liveBudget == null) {
            return app;
        }
        return new ForecastConfig(app.weeks(), app.grace(), app.horizonWeeks(), app.historyWeeks(),
                app.categoryHistoryWeeks(), app.leadTimeDays(), app.leadTimeDaysByCategory(), app.safetyStockFactor(),
                app.smoothing(), app.seasonalOutlookDays(), app.seasonalAlertRise(), app.coPurchaseWindowDays(),
                app.inTransitDays(), app.regionLevel(), app.publishIntervalMillis(), app.maxPublishesPerInterval(),
                busy == null ? app.maxPublishesPerBusyInterval() : busy, app.liveLagMillis(),
                liveBudget == null ? app.livePublishBudgetMillis() : liveBudget);
    }

    /** The topology through the backlog, read from the start, with the project's settings and the run's overrides. */
    private static Run topologyRun(BenchContext ctx, String applicationId, long orders, double linesPerOrder)
            throws Exception {
        String bootstrap = ctx.kafka().bootstrapServers();
        StreamsSettings settings = StreamsSettings.local(applicationId, bootstrap,
                ctx.workDir().resolve("state-" + applicationId));
        Properties props = settings.toProperties();
        props.putAll(ctx.streamsOverrides());
        try (Admin admin = admin(bootstrap);
             KafkaStreams streams = new KafkaStreams(ForecastTopology.build(CONFIG, ctx.serdes()),
                     props)) {
            streams.setUncaughtExceptionHandler(exception -> {
                System.out.println("  stream thread died (" + exception + "); replacing it");
                return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse
                        .REPLACE_THREAD;
            });
            long featuresBefore = endOffsets(admin, Topics.DEMAND_FEATURES.name());
            streams.start();
            long deadline = System.nanoTime() + RUN_LIMIT.toNanos();
            long firstAt = 0;
            long firstCount = 0;
            long intakeAt = 0;
            CpuMeter.Reading firstCpu = null;
            Map<String, Long> firstGroups = null;
            long features = featuresBefore;
            long featuresChangedAt = 0;
            CpuMeter.Reading featuresChangedCpu = null;
            Map<String, Long> featuresChangedGroups = null;
            while (System.nanoTime() < deadline) {
                Map<String, Long> lag = new HashMap<>();
                long committed = committed(admin, applicationId, Topics.ORDERS.name(), lag);
                long now = System.nanoTime();
                CpuMeter.Reading cpu = CpuMeter.Reading.now(CpuMeter::isStreamThread);
                Map<String, Long> groups = CpuMeter.byGroup(CpuMeter::isStreamThread);
                if (firstAt == 0 && committed > 0) {
                    firstAt = now;
                    firstCount = committed;
                    firstCpu = cpu;
                    firstGroups = groups;
                }
                if (intakeAt == 0 && committed >= orders) {
                    intakeAt = now;
                }
                long published = endOffsets(admin, Topics.DEMAND_FEATURES.name());
                if (published != features) {
                    features = published;
                    featuresChangedAt = now;
                    featuresChangedCpu = cpu;
                    featuresChangedGroups = groups;
                }
                boolean repartitionsConsumed = lag.values().stream().allMatch(behind -> behind == 0);
                if (intakeAt != 0 && repartitionsConsumed && featuresChangedAt != 0
                        && now - featuresChangedAt > QUIET.toNanos()) {
                    double lines = (orders - firstCount) * linesPerOrder;
                    CpuMeter.PerEvent perLine = firstCpu.perEvent(featuresChangedCpu, Math.round(lines));
                    return new Run(lines / ((intakeAt - firstAt) / 1e9), lines / ((featuresChangedAt - firstAt) / 1e9),
                            perLine.workerMicros(), perLine.jvmMicros(), features - featuresBefore, 0,
                            CpuMeter.perEventByGroup(firstGroups, featuresChangedGroups, Math.round(lines)));
                }
                Thread.sleep(100);
            }
            throw new IllegalStateException(applicationId + " did not finish within " + RUN_LIMIT + " (committed "
                    + committed(admin, applicationId, Topics.ORDERS.name(), new HashMap<>()) + " of " + orders + ")");
        } finally {
            Utils.delete(ctx.workDir().resolve("state-" + applicationId).toFile());
        }
    }

    /**
     * The same steps in plain maps: orders read and decoded, {@link PlainForecast} per order, every second the
     * marked keys' features and suggestions built, encoded with the topics' serdes and sent, late events too; as
     * many per second as the topology's tasks publish (its per-task cap times its partitions).
     */
    private static Run plainRun(BenchContext ctx, List<SimEvent> masterData, String groupId, long events, long lines) {
        ForecastConfig config = CONFIG;
        PlainForecast forecast = new PlainForecast(config);
        masterData.forEach(event -> forecast.masterData(event.value()));
        Deserializer<OrderEvent> in = ctx.serdes().value(Topics.ORDERS).deserializer();
        Serializer<DemandFeatures> featuresOut = ctx.serdes().value(Topics.DEMAND_FEATURES).serializer();
        Serializer<OrderSuggestion> suggestionsOut = ctx.serdes().value(Topics.ORDER_SUGGESTIONS).serializer();
        Serializer<LateEvent> lateOut = ctx.serdes().value(Topics.LATE_EVENTS).serializer();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long deadline = System.nanoTime() + RUN_LIMIT.toNanos();
        long processed = 0;
        long published = 0;
        long firstAt = 0;
        long intakeAt = 0;
        long firstJvm = 0;
        long firstThread = 0;
        long nextPublication = 0;
        boolean factsSincePublication = false;
        String bootstrap = ctx.kafka().bootstrapServers();
        try (KafkaConsumer<String, byte[]> consumer = consumer(bootstrap, groupId);
             KafkaProducer<String, byte[]> producer = producer(bootstrap)) {
            consumer.subscribe(List.of(Topics.ORDERS.name()));
            while (System.nanoTime() < deadline) {
                ConsumerRecords<String, byte[]> records = processed < events ? consumer.poll(Duration.ofMillis(100))
                        : ConsumerRecords.empty();
                if (!records.isEmpty() && firstAt == 0) {
                    firstAt = System.nanoTime();
                    firstJvm = CpuMeter.jvmNanos();
                    firstThread = threads.getCurrentThreadCpuTime();
                    nextPublication = firstAt + TimeUnit.MILLISECONDS.toNanos(config.publishIntervalMillis());
                }
                for (ConsumerRecord<String, byte[]> record : records) {
                    LateEvent late = forecast.order(in.deserialize(record.topic(), record.value()));
                    if (late != null) {
                        producer.send(new ProducerRecord<>(PLAIN_LATE, record.key(),
                                lateOut.serialize(PLAIN_LATE, late)));
                    }
                    processed++;
                    factsSincePublication = true;
                }
                if (!records.isEmpty()) {
                    consumer.commitAsync();
                }
                if (intakeAt == 0 && processed >= events) {
                    intakeAt = System.nanoTime();
                }
                if (firstAt != 0 && System.nanoTime() >= nextPublication) {
                    int most = Topics.FACT_PARTITIONS * (factsSincePublication ? config.maxPublishesPerBusyInterval()
                            : config.maxPublishesPerInterval());
                    factsSincePublication = false;
                    for (SpecificRecord out : forecast.publishChanged(most)) {
                        if (out instanceof DemandFeatures features) {
                            String key = Topics.key(features.getDealerId(), features.getSku());
                            producer.send(new ProducerRecord<>(PLAIN_FEATURES, key,
                                    featuresOut.serialize(PLAIN_FEATURES, features)));
                            published++;
                        } else if (out instanceof OrderSuggestion suggestion) {
                            String key = Topics.key(suggestion.getDealerId(), suggestion.getSku());
                            producer.send(new ProducerRecord<>(PLAIN_SUGGESTIONS, key,
                                    suggestionsOut.serialize(PLAIN_SUGGESTIONS, suggestion)));
                        }
                    }
                    nextPublication += TimeUnit.MILLISECONDS.toNanos(config.publishIntervalMillis());
                    if (intakeAt != 0 && forecast.pending() == 0) {
                        producer.flush();
                        long end = System.nanoTime();
                        double perLine = lines * 1000.0;
                        return new Run(lines / ((intakeAt - firstAt) / 1e9), lines / ((end - firstAt) / 1e9),
                                (threads.getCurrentThreadCpuTime() - firstThread) / perLine,
                                (CpuMeter.jvmNanos() - firstJvm) / perLine, published, forecast.keys(), "");
                    }
                }
            }
        }
        throw new IllegalStateException("plain loop processed " + processed + " of " + events + " within "
                + RUN_LIMIT);
    }

    /** Committed offsets of {@code topic}; and, per repartition topic of the application, how far behind it is. */
    private static long committed(Admin admin, String groupId, String topic, Map<String, Long> repartitionLag)
            throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(groupId)
                .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
        long sum = 0;
        Map<TopicPartition, OffsetSpec> repartitions = new HashMap<>();
        for (Map.Entry<TopicPartition, OffsetAndMetadata> e : offsets.entrySet()) {
            if (e.getValue() == null) {
                continue;
            }
            if (e.getKey().topic().equals(topic)) {
                sum += e.getValue().offset();
            } else if (e.getKey().topic().endsWith("-repartition")) {
                repartitions.put(e.getKey(), OffsetSpec.latest());
            }
        }
        if (!repartitions.isEmpty()) {
            ListOffsetsResult ends = admin.listOffsets(repartitions);
            for (TopicPartition partition : repartitions.keySet()) {
                // a committed transaction's marker sits after its records: one offset behind the end is caught up
                long behind = ends.partitionResult(partition).get(10, TimeUnit.SECONDS).offset()
                        - offsets.get(partition).offset();
                repartitionLag.merge(partition.topic(), Math.max(0, behind - 1), Long::sum);
            }
        }
        return sum;
    }

    /**
     * Empties the inventory positions topic (compacted, so its records cannot be deleted: the topic is deleted and
     * made again): the inventory rows, when they ran before in this broker, left 1.4 million positions there, and the
     * forecast topology reads them as available stock and recomputes suggestions for them (7.3 features a line in
     * the full harness against 0.64 alone), which is not this scenario's input.
     */
    private static void freshPositions(Admin admin) throws Exception {
        String positions = Topics.INVENTORY_POSITIONS.name();
        if (!admin.listTopics().names().get(10, TimeUnit.SECONDS).contains(positions)) {
            return;
        }
        admin.deleteTopics(List.of(positions)).all().get(30, TimeUnit.SECONDS);
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                admin.createTopics(List.of(new NewTopic(positions, Topics.INVENTORY_POSITIONS.partitions(), (short) 1)
                        .configs(Map.of("cleanup.policy", "compact")))).all().get(10, TimeUnit.SECONDS);
                return;
            } catch (java.util.concurrent.ExecutionException e) {
                if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)
                        || System.nanoTime() > until) {
                    throw e;
                }
                Thread.sleep(200); // the deletion is still being carried out by the controller
            }
        }
    }

    private static long endOffsets(Admin admin, String topic) throws Exception {
        Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
        for (int p = 0; p < Topics.DEMAND_FEATURES.partitions(); p++) {
            partitions.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        long sum = 0;
        for (ListOffsetsResult.ListOffsetsResultInfo info : admin.listOffsets(partitions).all()
                .get(10, TimeUnit.SECONDS).values()) {
            sum += info.offset();
        }
        return sum;
    }

    private static String load() {
        try {
            String[] avg = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ");
            return avg[0] + " / " + avg[1] + " / " + avg[2];
        } catch (java.io.IOException e) {
            return "?";
        }
    }

    private static double median(List<Run> runs, ToDoubleFunction<Run> figure) {
        return Stats.median(runs.stream().map(figure::applyAsDouble).toList());
    }

    private static String list(List<Run> runs, ToDoubleFunction<Run> figure) {
        return TopologyRate.list(runs.stream().map(figure::applyAsDouble).toList());
    }

    private static Admin admin(String bootstrap) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
    }

    private static KafkaConsumer<String, byte[]> consumer(String bootstrap, String groupId) {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, groupId,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class));
    }

    private static KafkaProducer<String, byte[]> producer(String bootstrap) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.BATCH_SIZE_CONFIG, 128 * 1024,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
    }
}
