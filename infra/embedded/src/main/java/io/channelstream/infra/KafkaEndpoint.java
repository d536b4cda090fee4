package io.channelstream.infra;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.LoggerFactory;

/** A Kafka cluster to talk to: an external one (configured) or an {@link EmbeddedKafka} broker. */
public interface KafkaEndpoint extends AutoCloseable {

    /** {@code host:port[,host:port…]} for {@code bootstrap.servers}. */
    String bootstrapServers();

    Source source();

    /** Stops what this endpoint started (nothing for an external cluster). */
    @Override
    void close();

    /** {@code bootstrap.servers} as a client property map, to add the rest to. */
    default Map<String, Object> clientProperties() {
        return Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    }

    /**
     * Creates topics (auto-creation is off on the embedded broker) with the broker's default
     * replication factor; topics that exist already are left alone.
     */
    default void createTopics(int partitions, String... topics) {
        List<NewTopic> newTopics = java.util.Arrays.stream(topics)
                .map(t -> new NewTopic(t, Optional.of(partitions), Optional.empty()))
                .toList();
        try (Admin admin = Admin.create(clientProperties())) {
            for (var entry : admin.createTopics(newTopics).values().entrySet()) {
                try {
                    entry.getValue().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("could not create topic " + entry.getKey() + ": "
                                + e.getCause().getMessage(), e.getCause());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("topic creation timed out on " + bootstrapServers(), e);
        }
    }

    /** An external cluster; close does nothing. */
    static KafkaEndpoint external(String bootstrapServers) {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        return new KafkaEndpoint() {
            @Override
            public String bootstrapServers() {
                return bootstrapServers;
            }

            @Override
            public Source source() {
                return Source.CONFIGURED;
            }

            @Override
            public void close() {
            }

            @Override
            public String toString() {
                return "KafkaEndpoint[CONFIGURED " + bootstrapServers + "]";
            }
        };
    }

    /**
     * {@code CHANNELSTREAM_KAFKA_BOOTSTRAP_SERVERS} when set, otherwise a fresh embedded broker on a
     * random port with a temporary log dir. {@code CHANNELSTREAM_KAFKA_SOURCE=embedded|configured}
     * forces one.
     */
    static KafkaEndpoint provide() {
        return provide(EmbeddedKafka.builder());
    }

    /** Like {@link #provide()}, starting the embedded broker from {@code embedded} when needed. */
    static KafkaEndpoint provide(EmbeddedKafka.Builder embedded) {
        Optional<String> forcedName = Settings.get(Settings.KAFKA_SOURCE);
        Source forced = forcedName.map(s -> Source.parse(s, Settings.KAFKA_SOURCE)).orElse(null);
        if (forced == Source.TESTCONTAINERS || forced == Source.LOCAL) {
            throw new IllegalArgumentException(Settings.KAFKA_SOURCE + " supports configured or embedded only");
        }
        Optional<String> configured = Settings.get(Settings.KAFKA_BOOTSTRAP_SERVERS);
        if (forced != Source.EMBEDDED && configured.isPresent()) {
            LoggerFactory.getLogger(KafkaEndpoint.class).info("Kafka: CONFIGURED {} (from {})",
                    configured.get(), Settings.describe(Settings.KAFKA_BOOTSTRAP_SERVERS));
            return external(configured.get());
        }
        if (forced == Source.CONFIGURED) {
            throw new IllegalStateException("Kafka source CONFIGURED was forced but "
                    + Settings.KAFKA_BOOTSTRAP_SERVERS + " is not set");
        }
        return embedded.start(configured.isPresent()
                ? "forced by " + Settings.describe(Settings.KAFKA_SOURCE) + "=embedded"
                : "configured: " + Settings.KAFKA_BOOTSTRAP_SERVERS + " not set");
    }
}
