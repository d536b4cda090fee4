package io.channelstream.infra;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka, PostgreSQL and Redis together, each started on first use through {@link KafkaEndpoint},
 * {@link Postgres} and {@link Redis} (so each follows their source order).
 *
 * <p>{@link #shared()} is one instance per JVM for tests: every test class in a surefire JVM gets the
 * same broker, database and Redis, stopped by a shutdown hook. {@link #builder()} makes a private
 * instance, e.g. for local mode:
 * <pre>{@code
 * Infrastructure infra = Infrastructure.builder().localDefaults().build().start();
 * }</pre>
 */
public final class Infrastructure implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Infrastructure.class);
    private static Infrastructure shared;

    private final Builder options;
    private final boolean isShared;
    private KafkaEndpoint kafka;
    private ProvidedPostgres postgres;
    private ProvidedRedis redis;
    private boolean closed;

    private Infrastructure(Builder options, boolean isShared) {
        this.options = options;
        this.isShared = isShared;
    }

    /** The JVM-wide instance; its servers start on first use and stop when the JVM exits. */
    public static synchronized Infrastructure shared() {
        if (shared == null) {
            Infrastructure instance = new Infrastructure(builder().purpose("shared"), true);
            Runtime.getRuntime().addShutdownHook(new Thread(instance::release, "channelstream-infra-shutdown"));
            shared = instance;
        }
        return shared;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Options. The defaults suit tests: random ports, temporary data, a fresh database. */
    public static final class Builder {
        private String purpose = "test";
        private int kafkaPort;
        private String kafkaBootstrapServers;
        private Path dataDirectory;
        private PostgresEndpoint postgresEndpoint;
        private String postgresDatabase;
        private int postgresPort;
        private RedisEndpoint redisEndpoint;
        private int redisPort;

        private Builder() {
        }

        /**
         * Local-mode presets: Kafka on localhost:9092, data under {@code .channelstream/} in the working
         * directory (Kafka log in {@code kafka/}, an embedded PostgreSQL cluster in {@code postgres/}),
         * and a kept database named {@code channelstream}.
         */
        public Builder localDefaults() {
            return purpose("local").kafkaPort(9092).dataDirectory(Path.of(".channelstream"))
                    .postgresDatabase("channelstream");
        }

        /** Names the fresh database ({@code channelstream_<purpose>_<random>}). */
        public Builder purpose(String purpose) {
            this.purpose = purpose;
            return this;
        }

        /** Fixed port of the embedded broker's client listener; 0 picks a free one. */
        public Builder kafkaPort(int port) {
            this.kafkaPort = port;
            return this;
        }

        /** Use this external Kafka instead of an embedded broker. */
        public Builder kafkaBootstrapServers(String bootstrapServers) {
            this.kafkaBootstrapServers = bootstrapServers;
            return this;
        }

        /** Keep embedded data here across restarts ({@code kafka/}, {@code postgres/}); default: temp dirs. */
        public Builder dataDirectory(Path directory) {
            this.dataDirectory = directory;
            return this;
        }

        /** Use this PostgreSQL address (as the configured source). */
        public Builder postgres(PostgresEndpoint endpoint) {
            this.postgresEndpoint = endpoint;
            return this;
        }

        /** A fixed database name, created when missing and kept; default: a fresh database per instance. */
        public Builder postgresDatabase(String database) {
            this.postgresDatabase = database;
            return this;
        }

        /** Fixed port for an embedded PostgreSQL; 0 picks a free one. */
        public Builder postgresPort(int port) {
            this.postgresPort = port;
            return this;
        }

        /** Use this Redis address (as the configured source). */
        public Builder redis(RedisEndpoint endpoint) {
            this.redisEndpoint = endpoint;
            return this;
        }

        /** Fixed port for an embedded Redis; 0 picks a free one. */
        public Builder redisPort(int port) {
            this.redisPort = port;
            return this;
        }

        public Infrastructure build() {
            return new Infrastructure(this, false);
        }
    }

    /** Starts all three now (otherwise each starts on first use). */
    public Infrastructure start() {
        kafka();
        postgres();
        redis();
        return this;
    }

    public synchronized KafkaEndpoint kafka() {
        ensureOpen();
        if (kafka == null) {
            if (options.kafkaBootstrapServers != null) {
                kafka = KafkaEndpoint.external(options.kafkaBootstrapServers);
                log.info("Kafka: CONFIGURED {} (given to the builder)", options.kafkaBootstrapServers);
            } else {
                EmbeddedKafka.Builder embedded = EmbeddedKafka.builder().port(options.kafkaPort);
                if (options.dataDirectory != null) {
                    embedded.logDir(options.dataDirectory.resolve("kafka"));
                }
                kafka = KafkaEndpoint.provide(embedded);
            }
        }
        return kafka;
    }

    public synchronized ProvidedPostgres postgres() {
        ensureOpen();
        if (postgres == null) {
            Postgres.Builder b = Postgres.builder().purpose(options.purpose).embeddedPort(options.postgresPort);
            if (options.postgresEndpoint != null) {
                b.endpoint(options.postgresEndpoint);
            }
            if (options.postgresDatabase != null) {
                b.database(options.postgresDatabase);
            }
            if (options.dataDirectory != null) {
                b.embeddedDataDirectory(options.dataDirectory.resolve("postgres"));
            }
            postgres = b.provide();
        }
        return postgres;
    }

    public synchronized ProvidedRedis redis() {
        ensureOpen();
        if (redis == null) {
            Redis.Builder b = Redis.builder().embeddedPort(options.redisPort);
            if (options.redisEndpoint != null) {
                b.endpoint(options.redisEndpoint);
            }
            redis = b.provide();
        }
        return redis;
    }

    /** One line per started server: its source and address. */
    public synchronized List<String> describe() {
        List<String> lines = new ArrayList<>();
        if (kafka != null) {
            lines.add("Kafka: " + kafka.source() + " " + kafka.bootstrapServers());
        }
        if (postgres != null) {
            lines.add(postgres.description());
        }
        if (redis != null) {
            lines.add(redis.description());
        }
        return lines;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("this Infrastructure is closed");
        }
    }

    /** Stops what this instance started. The shared instance ignores it (its shutdown hook stops it). */
    @Override
    public void close() {
        if (!isShared) {
            release();
        }
    }

    private synchronized void release() {
        if (closed) {
            return;
        }
        closed = true;
        List<Exception> failures = new ArrayList<>();
        for (AutoCloseable c : new AutoCloseable[] {redis, postgres, kafka}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception e) {
                    failures.add(e);
                }
            }
        }
        if (!failures.isEmpty()) {
            IllegalStateException e = new IllegalStateException("some servers did not stop cleanly");
            failures.forEach(e::addSuppressed);
            if (isShared) {
                log.warn("shared infrastructure did not stop cleanly", e);
            } else {
                throw e;
            }
        }
    }
}
