package io.channelstream.schemas;

import java.time.Duration;
import java.util.Objects;

/** Checks shared by every topic definition, so a wrong catalogue entry fails at class load, not at deploy. */
final class TopicRules {

    private TopicRules() {
    }

    static void check(String name, String keyDescription, int partitions, CleanupPolicy cleanupPolicy,
            Duration retention) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("topic name must not be blank");
        }
        if (keyDescription == null || keyDescription.isBlank()) {
            throw new IllegalArgumentException("topic '" + name + "': keyDescription must not be blank");
        }
        if (partitions < 1) {
            throw new IllegalArgumentException("topic '" + name + "': partitions must be >= 1, was " + partitions);
        }
        Objects.requireNonNull(cleanupPolicy, () -> "topic '" + name + "': cleanupPolicy");
        Objects.requireNonNull(retention, () -> "topic '" + name + "': retention");
        if (retention.isNegative() && !retention.equals(TopicDefinition.KEEP_FOREVER)) {
            throw new IllegalArgumentException("topic '" + name + "': retention must be positive or KEEP_FOREVER, was "
                    + retention);
        }
    }
}
