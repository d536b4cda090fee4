package io.channelstream.benchmarks;

import io.channelstream.events.OrderEvent;
import io.channelstream.events.OrderLine;
import io.channelstream.events.OrderPlaced;
import io.channelstream.forecast.ForecastConfig;
import io.channelstream.forecast.ForecastTopology;
import io.channelstream.schemas.Topics;
import io.channelstream.simulator.KafkaEventSink;
import io.channelstream.simulator.SimEvent;
import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * The simulator's orders through the forecast feature topology ({@code ForecastTopology.build} with
 * {@code ForecastConfig.DEFAULT}, as the app builds it) with exactly-once v2, counted in order lines; beside it, in
 * the same run, a plain consumer → deserialize → weekly demand per dealer and SKU in a HashMap → producer loop.
 */
final class ForecastScenario implements Scenario {

    static final long BACKLOG_LINES = 110_000;
    private static final String PLAIN_OUTPUT = "bench.plain-weekly-demand";
    private static final ZoneId BUSINESS_ZONE = ZoneId.of("Asia/Shanghai");

    @Override
    public String name() {
        return "forecast feature topology (exactly-once v2)";
    }

    @Override
    public List<Row> run(BenchContext ctx) throws Exception {
        String bootstrap = ctx.kafka().bootstrapServers();
        KafkaEventSink.createTopics(bootstrap, (short) 1);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(PLAIN_OUTPUT, Topics.FACT_PARTITIONS, (short) 1))).all().get();
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
        try (KafkaEventSink sink = new KafkaEventSink(bootstrap, ctx.serdes())) {
            ctx.world().masterDataEvents(Instant.parse("2026-01-01T00:00:00Z"), "bench-forecast")
                    .forEach(sink::accept);
            sink.flush();
            orders.forEach(sink::accept);
        }
        double linesPerOrder = (double) lines / orders.size();
        System.out.printf(Locale.ROOT, "  %,d orders (%,d lines, %.2f per order) on %s%n", orders.size(), lines,
                linesPerOrder, Topics.ORDERS.name());
        List<Double> streamsRates = new ArrayList<>();
        List<Double> plainRates = new ArrayList<>();
        for (int rep = 1; rep <= ctx.repetitions(); rep++) {
            double orderRate = TopologyRate.run(ctx, "bench-forecast-" + rep,
                    () -> ForecastTopology.build(ForecastConfig.DEFAULT, ctx.serdes()), Topics.ORDERS.name(),
                    orders.size(), null);
            streamsRates.add(orderRate * linesPerOrder);
            plainRates.add(plainRun(ctx, bootstrap, "bench-plain-forecast-" + rep, orders.size(), lines));
            System.out.printf(Locale.ROOT, "  rep %d: topology %,.0f lines/s, plain loop %,.0f lines/s%n", rep,
                    streamsRates.get(rep - 1), plainRates.get(rep - 1));
        }
        double streamsRate = Stats.median(streamsRates);
        double plainRate = Stats.median(plainRates);
        String overrides = ctx.streamsOverrides().isEmpty() ? ""
                : "; Streams settings laid over the project's: " + ctx.streamsOverrides();
        return List.of(new Row("order lines/s through the forecast feature topology, EOS v2, 1 stream thread, "
                + "simulator's orders",
                String.format(Locale.ROOT, "%,.0f lines/s (median of %d; runs %s)", streamsRate, streamsRates.size(),
                        TopologyRate.list(streamsRates)),
                String.format(Locale.ROOT, "plain consumer→deserialize→weekly demand per dealer×SKU in a HashMap→"
                        + "producer loop, at-least-once: %,.0f lines/s (%s)", plainRate, TopologyRate.list(plainRates)),
                streamsRate / plainRate, String.format(Locale.ROOT, "%,d orders, %,d lines per run, read from the "
                        + "start (orders only: no receipts, sales or positions); lines/s = committed orders/s × "
                        + "%.2f lines per order; the loop keeps no in-transit, co-purchase, regional or seasonal "
                        + "state, makes no features or suggestions, no repartition, changelog or transaction",
                        orders.size(), lines, linesPerOrder) + overrides));
    }

    /** Per line: the dealer's weekly demand for the SKU added up in a HashMap and written out. */
    private double plainRun(BenchContext ctx, String bootstrap, String groupId, long events, long lines) {
        Deserializer<OrderEvent> in = ctx.serdes().value(Topics.ORDERS).deserializer();
        Map<String, Long> weekly = new HashMap<>();
        long deadline = System.nanoTime() + TopologyRate.RUN_LIMIT.toNanos();
        long processed = 0;
        long linesDone = 0;
        long firstAt = 0;
        try (KafkaConsumer<String, byte[]> consumer = DiversionScenario.consumer(bootstrap, groupId);
             KafkaProducer<String, byte[]> producer = InventoryScenario.producer(bootstrap)) {
            consumer.subscribe(List.of(Topics.ORDERS.name()));
            while (processed < events && System.nanoTime() < deadline) {
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(200));
                if (records.isEmpty()) {
                    continue;
                }
                if (firstAt == 0) {
                    firstAt = System.nanoTime();
                }
                for (ConsumerRecord<String, byte[]> record : records) {
                    OrderEvent order = in.deserialize(record.topic(), record.value());
                    if (order.getPayload() instanceof OrderPlaced placed) {
                        LocalDate week = LocalDate.ofInstant(order.getOccurredAt(), BUSINESS_ZONE)
                                .with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
                        for (OrderLine line : placed.getLines()) {
                            String key = placed.getDealerId() + "|" + line.getSku() + "|" + week;
                            long units = weekly.merge(key, (long) line.getQuantity(), Long::sum);
                            producer.send(new ProducerRecord<>(PLAIN_OUTPUT, key,
                                    Long.toString(units).getBytes(StandardCharsets.UTF_8)));
                            linesDone++;
                        }
                    }
                    processed++;
                }
                consumer.commitAsync();
            }
            producer.flush();
            consumer.commitSync();
        }
        if (processed < events) {
            throw new IllegalStateException("plain loop processed " + processed + " of " + events);
        }
        return linesDone / ((System.nanoTime() - firstAt) / 1e9);
    }
}
