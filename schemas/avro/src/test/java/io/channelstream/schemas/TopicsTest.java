package io.channelstream.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TopicsTest {

    @Test
    void everyTopicNameIsUnique() {
        assertThat(Topics.definitions()).extracting(TopicDefinition::name).doesNotHaveDuplicates()
                .hasSize(Topics.all().size() + 2); // + dead letters and the schema log
        assertThat(Topics.all()).hasSizeGreaterThanOrEqualTo(13);
    }

    @Test
    void everyTypedTopicCarriesItsGeneratedClassSchema() {
        assertThat(Topics.all()).allSatisfy(topic -> {
            assertThat(topic.valueSchema().getFullName()).isEqualTo(topic.valueType().getName());
            assertThat(topic.valueSubject()).isEqualTo(topic.name() + "-value");
        });
    }

    @Test
    void masterDataIsCompactedOnThreePartitionsAndFactsAreKeptAWeekOnSix() {
        assertThat(Topics.PRODUCTS).extracting(Topic::partitions, Topic::cleanupPolicy, Topic::retention)
                .containsExactly(3, CleanupPolicy.COMPACT, TopicDefinition.KEEP_FOREVER);
        assertThat(Topics.SCANS).extracting(Topic::partitions, Topic::cleanupPolicy, Topic::retention)
                .containsExactly(6, CleanupPolicy.DELETE, Duration.ofDays(7));
        assertThat(Topics.INVENTORY_POSITIONS).extracting(Topic::partitions, Topic::cleanupPolicy)
                .containsExactly(6, CleanupPolicy.COMPACT);
        assertThat(Topics.SCHEMAS).extracting(RawTopic::partitions, RawTopic::cleanupPolicy)
                .containsExactly(1, CleanupPolicy.COMPACT);
    }

    @Test
    void newTopicCarriesCleanupPolicyAndRetention() {
        var compacted = Topics.LOCATIONS.toNewTopic((short) 3);
        var facts = Topics.ORDERS.toNewTopic((short) 1);

        assertThat(compacted.name()).isEqualTo("master.locations");
        assertThat(compacted.numPartitions()).isEqualTo(3);
        assertThat(compacted.replicationFactor()).isEqualTo((short) 3);
        assertThat(compacted.configs()).isEqualTo(Map.of("cleanup.policy", "compact", "retention.ms", "-1"));
        assertThat(facts.configs()).isEqualTo(Map.of("cleanup.policy", "delete", "retention.ms", "604800000"));
        assertThat(Topics.DEAD_LETTERS.toNewTopic((short) 1).configs()).containsEntry("cleanup.policy", "delete");
    }

    @Test
    void compositeKeysJoinWithPipeAndRefuseAmbiguousParts() {
        assertThat(Topics.key("DLR-1", "IF-800G", "B20250312")).isEqualTo("DLR-1|IF-800G|B20250312");
        assertThat(Topics.keyParts("DLR-1|IF-800G|B20250312")).containsExactly("DLR-1", "IF-800G", "B20250312");
        assertThatThrownBy(() -> Topics.key("DLR-1", "IF|800G")).hasMessageContaining("part 1");
        assertThatThrownBy(() -> Topics.key("DLR-1", null)).hasMessageContaining("part 1 is null");
    }

    @Test
    void catalogueEntryWhoseSchemaDoesNotMatchItsClassIsRefused() {
        assertThatThrownBy(() -> new Topic<>("x", io.channelstream.events.Alert.class,
                io.channelstream.events.ScanRecorded.getClassSchema(), "code", 1, CleanupPolicy.DELETE,
                Duration.ofDays(1)))
                .hasMessageContaining("does not describe io.channelstream.events.Alert");
    }
}
