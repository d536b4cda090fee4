package io.channelstream.schemas;

import java.time.Duration;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;

/**
 * A topic whose values are one Avro record type in Confluent wire format, subject {@code <name>-value}
 * (TopicNameStrategy). Keys are UTF-8 strings described by {@link #keyDescription()}.
 */
public record Topic<V extends SpecificRecord>(
        String name,
        Class<V> valueType,
        Schema valueSchema,
        String keyDescription,
        int partitions,
        CleanupPolicy cleanupPolicy,
        Duration retention) implements TopicDefinition {

    public Topic {
        TopicRules.check(name, keyDescription, partitions, cleanupPolicy, retention);
        Objects.requireNonNull(valueType, () -> "topic '" + name + "': valueType");
        Objects.requireNonNull(valueSchema, () -> "topic '" + name + "': valueSchema");
        if (!valueSchema.getFullName().equals(valueType.getName())) {
            throw new IllegalArgumentException("topic '" + name + "': schema " + valueSchema.getFullName()
                    + " does not describe " + valueType.getName());
        }
    }

    /** Subject of the value schema under TopicNameStrategy. */
    public String valueSubject() {
        return name + "-value";
    }
}
