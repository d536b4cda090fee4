package io.channelstream.schemas;

import java.time.Duration;

/**
 * A topic whose values are not one Avro type (dead letters carry the failed record's bytes as received;
 * the schema store carries its own entries). Catalogued so it is created like every other topic.
 */
public record RawTopic(
        String name,
        String keyDescription,
        String valueDescription,
        int partitions,
        CleanupPolicy cleanupPolicy,
        Duration retention) implements TopicDefinition {

    public RawTopic {
        TopicRules.check(name, keyDescription, partitions, cleanupPolicy, retention);
        if (valueDescription == null || valueDescription.isBlank()) {
            throw new IllegalArgumentException("topic '" + name + "': valueDescription must not be blank");
        }
    }
}
