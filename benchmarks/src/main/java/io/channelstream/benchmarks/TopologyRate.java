package io.channelstream.benchmarks;

import io.channelstream.streams.StreamsSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;

/**
 * A topology run through a backlog read from the start, with the project's Streams settings (exactly-once v2,
 * one stream thread) and the run's overrides: the rate of its committed offsets on one input topic, from the
 * first commit to the last record. While the instance still runs, {@code whileRunning} may measure more (latency).
 */
final class TopologyRate {

    static final Duration RUN_LIMIT = Duration.ofMinutes(3);

    interface WhileRunning {
        void run(KafkaStreams streams, double rate) throws Exception;
    }

    private TopologyRate() {
    }

    /** Records/s of {@code topic} committed by the application. */
    static double run(BenchContext ctx, String applicationId, Supplier<Topology> topology, String topic, long records,
                      WhileRunning whileRunning) throws Exception {
        String bootstrap = ctx.kafka().bootstrapServers();
        StreamsSettings settings = StreamsSettings.local(applicationId, bootstrap,
                ctx.workDir().resolve("state-" + applicationId));
        Properties props = settings.toProperties();
        props.putAll(ctx.streamsOverrides());
        try (KafkaStreams streams = new KafkaStreams(topology.get(), props);
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            streams.setUncaughtExceptionHandler(exception -> {
                System.out.println("  stream thread died (" + exception + "); replacing it");
                return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse
                        .REPLACE_THREAD;
            });
            streams.start();
            double rate = committedRate(admin, applicationId, topic, records);
            if (whileRunning != null) {
                whileRunning.run(streams, rate);
            }
            return rate;
        } finally {
            Utils.delete(ctx.workDir().resolve("state-" + applicationId).toFile());
        }
    }

    private static double committedRate(Admin admin, String groupId, String topic, long records) throws Exception {
        long deadline = System.nanoTime() + RUN_LIMIT.toNanos();
        long firstAt = 0;
        long firstCount = 0;
        while (System.nanoTime() < deadline) {
            long committed = committed(admin, groupId, topic);
            long now = System.nanoTime();
            if (firstAt == 0 && committed > 0) {
                firstAt = now;
                firstCount = committed;
            }
            if (committed >= records) {
                return (records - firstCount) / ((now - firstAt) / 1e9);
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(groupId + " did not finish within " + RUN_LIMIT + " (committed "
                + committed(admin, groupId, topic) + " of " + records + ")");
    }

    static long committed(Admin admin, String groupId, String topic) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(groupId)
                .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
        long sum = 0;
        for (Map.Entry<TopicPartition, OffsetAndMetadata> e : offsets.entrySet()) {
            if (e.getKey().topic().equals(topic) && e.getValue() != null) {
                sum += e.getValue().offset();
            }
        }
        return sum;
    }

    static String list(List<Double> rates) {
        return String.join(", ", rates.stream().map(r -> String.format(java.util.Locale.ROOT, "%,.0f", r)).toList());
    }
}
