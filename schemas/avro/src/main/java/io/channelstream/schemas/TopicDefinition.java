package io.channelstream.schemas;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

/**
 * What is needed to create a topic: name, partitions, cleanup policy, retention. Keys are always UTF-8
 * strings; {@link #keyDescription()} says which (composite keys join parts with {@code |}).
 */
public sealed interface TopicDefinition permits Topic, RawTopic {

    /** Kafka's {@code retention.ms = -1}: never delete by age (compacted topics). */
    Duration KEEP_FOREVER = Duration.ofMillis(-1);

    String name();

    String keyDescription();

    int partitions();

    CleanupPolicy cleanupPolicy();

    Duration retention();

    /** The admin request that creates this topic with its cleanup policy and retention. */
    default NewTopic toNewTopic(short replicationFactor) {
        return new NewTopic(name(), partitions(), replicationFactor)
                .configs(Map.of(
                        TopicConfig.CLEANUP_POLICY_CONFIG, cleanupPolicy().configValue(),
                        TopicConfig.RETENTION_MS_CONFIG, Long.toString(retention().toMillis())));
    }
}
