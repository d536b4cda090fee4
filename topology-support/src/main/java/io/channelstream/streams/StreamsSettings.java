package io.channelstream.streams;

import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The settings every Channelstream topology runs with. Exactly-once v2 is not optional: a stock
 * position counted twice or an alert lost on fail-over is a wrong answer to a dealer.
 *
 * @param applicationId   Kafka Streams application id (consumer group and internal topic prefix)
 * @param bootstrapServers the brokers
 * @param stateDir         where RocksDB state lives; must differ between instances on one machine
 * @param applicationServer this instance's {@code host:port} for interactive-query routing, or null
 * @param replicationFactor of internal topics (1 for a single local broker, 3 in production)
 * @param standbyReplicas  warm copies of each store kept on other instances
 * @param commitIntervalMillis how often a transaction commits (EOS latency floor)
 * @param streamThreads    stream threads of this instance
 * @param deadLetterTopic  where unreadable or rejected records go
 */
public record StreamsSettings(
        String applicationId,
        String bootstrapServers,
        Path stateDir,
        String applicationServer,
        int replicationFactor,
        int standbyReplicas,
        long commitIntervalMillis,
        int streamThreads,
        String deadLetterTopic) {

    /** Producer batch size: room for a commit interval's records of one partition at the rates measured. */
    static final int PRODUCER_BATCH_BYTES = 256 * 1024;

    public static StreamsSettings local(String applicationId, String bootstrapServers, Path stateDir) {
        return new StreamsSettings(applicationId, bootstrapServers, stateDir, null, 1, 0, 100, 1,
                DeadLetterHandler.DEFAULT_TOPIC);
    }

    public StreamsSettings withApplicationServer(String hostAndPort) {
        return new StreamsSettings(applicationId, bootstrapServers, stateDir, hostAndPort, replicationFactor,
                standbyReplicas, commitIntervalMillis, streamThreads, deadLetterTopic);
    }

    public StreamsSettings withStandbyReplicas(int replicas) {
        return new StreamsSettings(applicationId, bootstrapServers, stateDir, applicationServer, replicationFactor,
                replicas, commitIntervalMillis, streamThreads, deadLetterTopic);
    }

    public Properties toProperties() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toAbsolutePath().toString());
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, replicationFactor);
        props.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, standbyReplicas);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitIntervalMillis);
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, streamThreads);
        props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        props.put(StreamsConfig.DEFAULT_TIMESTAMP_EXTRACTOR_CLASS_CONFIG, OccurredAtTimestampExtractor.class);
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class);
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class);
        props.put(DeadLetterHandler.TOPIC_CONFIG, deadLetterTopic);
        if (applicationServer != null) {
            props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, applicationServer);
        }
        // A stopped instance's partitions move at once; waiting for a static member to return would
        // leave its keys unanswerable for the session timeout.
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 10_000);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        // The producer batches up to a commit interval's worth: under exactly-once nothing it sends is readable
        // before the transaction commits, and the commit flushes it, so a longer linger delays no reader, while
        // 5 ms batches cost the broker and the producer's I/O thread two to three times the CPU per record
        // (docs/benchmarks.md: inventory and diversion, same runs). Stores are read before commit, unaffected.
        props.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), (int) commitIntervalMillis);
        props.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), PRODUCER_BATCH_BYTES);
        return props;
    }
}
