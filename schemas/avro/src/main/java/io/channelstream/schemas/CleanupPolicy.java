package io.channelstream.schemas;

import org.apache.kafka.common.config.TopicConfig;

/** Kafka's {@code cleanup.policy}: keep every record for a time, or keep the latest record per key. */
public enum CleanupPolicy {
    DELETE(TopicConfig.CLEANUP_POLICY_DELETE),
    COMPACT(TopicConfig.CLEANUP_POLICY_COMPACT);

    private final String configValue;

    CleanupPolicy(String configValue) {
        this.configValue = configValue;
    }

    /** The value of the {@code cleanup.policy} topic config. */
    public String configValue() {
        return configValue;
    }
}
