package io.channelstream.infra;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.metadata.bootstrap.BootstrapMetadata;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka (one process role "broker,controller", KRaft) running inside this JVM,
 * built with Kafka's own {@link KafkaClusterTestKit}. It is configured for exactly-once on one
 * broker (transaction and offsets topics with replication factor 1 and min ISR 1), with
 * auto-creation of topics off, 6 partitions by default and no initial rebalance delay.
 *
 * <p>By default it listens on a random port and keeps its log in a temporary directory deleted on
 * close. Local mode gives it a fixed port (an extra listener on {@code localhost:<port>} that
 * outside tools can use) and a log directory that survives restarts.
 */
public final class EmbeddedKafka implements KafkaEndpoint {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafka.class);

    public static final int DEFAULT_PARTITIONS = 6;
    /** Name of the extra listener bound to the fixed port. */
    static final String FIXED_PORT_LISTENER = "HOST";

    private final KafkaClusterTestKit cluster;
    private final String bootstrapServers;
    private final Path logDir;
    private final String clusterId;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread shutdownHook;

    private EmbeddedKafka(KafkaClusterTestKit cluster, String bootstrapServers, Path logDir, String clusterId) {
        this.cluster = cluster;
        this.bootstrapServers = bootstrapServers;
        this.logDir = logDir;
        this.clusterId = clusterId;
        this.shutdownHook = new Thread(this::closeQuietly, "embedded-kafka-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** A broker on a random port with a temporary log dir. */
    public static EmbeddedKafka start() {
        return builder().start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Options for the embedded broker. */
    public static final class Builder {
        private int port;
        private Path logDir;
        private int numPartitions = DEFAULT_PARTITIONS;
        private final Map<String, String> overrides = new LinkedHashMap<>();

        private Builder() {
        }

        /** Fixed client port on localhost (local mode, e.g. 9092); 0 (default) picks a free one. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0..65535, was " + port);
            }
            this.port = port;
            return this;
        }

        /** A directory kept across restarts (local mode); default: a temp dir deleted on close. */
        public Builder logDir(Path logDir) {
            this.logDir = logDir;
            return this;
        }

        /** Default partition count of new topics ({@code num.partitions}); 6 unless set. */
        public Builder numPartitions(int numPartitions) {
            this.numPartitions = numPartitions;
            return this;
        }

        /** Any other broker setting; wins over the defaults. */
        public Builder brokerProperty(String key, String value) {
            overrides.put(key, value);
            return this;
        }

        public EmbeddedKafka start() {
            return start("");
        }

        EmbeddedKafka start(String why) {
            return EmbeddedKafka.start(this, why);
        }
    }

    /** The broker settings this library applies before the caller's overrides. */
    static Map<String, String> defaultBrokerProperties(int numPartitions) {
        Map<String, String> p = new LinkedHashMap<>();
        // exactly-once on a single broker: the internal topics cannot have more replicas than brokers
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "6");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "6");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        // Transactions v2: the first produce of a new transaction adds its partition on the producer's behalf,
        // and while the previous transaction's markers are still being written the coordinator answers
        // CONCURRENT_TRANSACTIONS. The broker retries that for this long before handing the error back (Kafka's
        // default 100 ms); handed back, the producer retries after its own backoff and its next in-flight batch
        // of the same partition meets OUT_OF_ORDER_SEQUENCE_NUMBER ("Expected sequence 0 ... no existing
        // state", logged as an ERROR), so the whole transaction stalls. On a co-located, busy broker the
        // markers take longer than 100 ms now and then; waiting for them on the broker costs nothing else.
        p.put("add.partitions.to.txn.retry.backoff.max.ms", "2000");
        p.put("auto.create.topics.enable", "false");
        p.put("num.partitions", Integer.toString(numPartitions));
        // behave like a released broker, not like Kafka's own unstable-feature test clusters
        p.put("unstable.api.versions.enable", "false");
        p.put("unstable.feature.versions.enable", "false");
        return p;
    }

    private static EmbeddedKafka start(Builder b, String why) {
        long started = System.nanoTime();
        Map<String, String> props = defaultBrokerProperties(b.numPartitions);
        if (b.port > 0) {
            props.put("listeners", "EXTERNAL://localhost:0,CONTROLLER://localhost:0,"
                    + FIXED_PORT_LISTENER + "://localhost:" + b.port);
            props.put("listener.security.protocol.map",
                    "EXTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT," + FIXED_PORT_LISTENER + ":PLAINTEXT");
        }
        props.putAll(b.overrides);

        TestKitNodes.Builder nodes = new TestKitNodes.Builder(productionBootstrapMetadata())
                .setCombined(true)
                .setNumBrokerNodes(1)
                .setNumControllerNodes(1);
        Path logDir = b.logDir == null ? null : b.logDir.toAbsolutePath();
        boolean formatted = false;
        String clusterId;
        try {
            if (logDir != null) {
                Files.createDirectories(logDir);
                Optional<String> existing = existingClusterId(logDir);
                formatted = existing.isPresent();
                clusterId = existing.orElseGet(() -> Uuid.randomUuid().toString());
                nodes.setBaseDirectory(logDir).setClusterId(clusterId);
            } else {
                clusterId = Uuid.randomUuid().toString();
                // Our own temporary directory, deleted by the kit's close. The kit's default one comes from Kafka's
                // TestUtils.tempDirectory, which also registers a JVM shutdown hook deleting it: at exit that hook
                // ran beside ours (which closes the broker), deleted the log dir under the running broker, and
                // the broker, finding its only log dir failed, called Exit.halt(1): a test JVM whose tests had
                // all passed exited with 1 ("Error occurred in starting fork" in surefire).
                nodes.setBaseDirectory(Files.createTempDirectory("channelstream-kafka-")).setClusterId(clusterId);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot use Kafka log dir " + logDir + ": " + e.getMessage(), e);
        }

        KafkaClusterTestKit cluster = null;
        try {
            KafkaClusterTestKit.Builder kit = new KafkaClusterTestKit.Builder(nodes.build())
                    .setDeleteOnClose(logDir == null);
            props.forEach(kit::setConfigProp);
            cluster = kit.build();
            if (!formatted) {
                cluster.format();
            }
            cluster.startup();
            cluster.waitForReadyBrokers();
        } catch (Exception e) {
            if (cluster != null) {
                try {
                    cluster.close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("embedded Kafka did not start"
                    + (b.port > 0 ? " (is port " + b.port + " free?)" : "") + ": " + e.getMessage(), e);
        }
        String bootstrap = b.port > 0 ? "localhost:" + b.port : cluster.bootstrapServers();
        EmbeddedKafka kafka = new EmbeddedKafka(cluster, bootstrap, logDir, clusterId);
        log.info("Kafka: EMBEDDED single-node KRaft broker+controller at {}, log dir {} ({}), started in {} ms{}",
                bootstrap, logDir != null ? logDir : cluster.nodes().baseDirectory(),
                logDir != null ? (formatted ? "persistent, reused" : "persistent, new") : "temporary",
                (System.nanoTime() - started) / 1_000_000, why.isEmpty() ? "" : " (" + why + ")");
        return kafka;
    }

    /** Latest production metadata version and feature levels (the test kit defaults to unstable ones). */
    private static BootstrapMetadata productionBootstrapMetadata() {
        MetadataVersion version = MetadataVersion.latestProduction();
        Map<String, Short> levels = new HashMap<>();
        for (Feature feature : Feature.PRODUCTION_FEATURES) {
            levels.put(feature.featureName(), feature.defaultLevel(version));
        }
        return BootstrapMetadata.fromVersions(version, levels, "channelstream-embedded");
    }

    private static Optional<String> existingClusterId(Path logDir) throws IOException {
        try (Stream<Path> files = Files.walk(logDir, 2)) {
            Optional<Path> meta = files.filter(p -> p.getFileName().toString().equals("meta.properties")).findFirst();
            if (meta.isEmpty()) {
                return Optional.empty();
            }
            Properties p = new Properties();
            try (InputStream in = Files.newInputStream(meta.get())) {
                p.load(in);
            }
            return Optional.ofNullable(p.getProperty("cluster.id"));
        }
    }

    @Override
    public String bootstrapServers() {
        return bootstrapServers;
    }

    @Override
    public Source source() {
        return Source.EMBEDDED;
    }

    public String clusterId() {
        return clusterId;
    }

    /** Where the broker keeps its data now: the persistent log dir, or the temporary one deleted on close. */
    Path dataDirectory() {
        return logDir != null ? logDir : Path.of(cluster.nodes().baseDirectory());
    }

    /** The persistent log dir, empty when the broker uses a temporary one. */
    public Optional<Path> logDir() {
        return Optional.ofNullable(logDir);
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // the hook is running or about to: fine
            }
            try {
                cluster.close();
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                throw new IllegalStateException("embedded Kafka did not stop cleanly: " + e.getMessage(), e);
            }
        }
    }

    private void closeQuietly() {
        if (closed.compareAndSet(false, true)) {
            try {
                cluster.close();
            } catch (Exception e) {
                log.warn("embedded Kafka did not stop cleanly: {}", e.toString());
            }
        }
    }

    @Override
    public String toString() {
        return "EmbeddedKafka[" + bootstrapServers + "]";
    }
}
