package io.channelstream.api.kafka;

import io.channelstream.api.config.ChannelstreamProperties;
import io.channelstream.schemas.TopicDefinition;
import io.channelstream.schemas.Topics;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Creates every topic of the catalogue at start-up (existing ones are left as they are). Runs
 * before anything produces or any topology starts, on the start-up thread.
 */
@Component
public class KafkaTopics {

    private static final Logger log = LoggerFactory.getLogger(KafkaTopics.class);

    public KafkaTopics(Admin admin, ChannelstreamProperties properties) throws InterruptedException {
        if (!properties.kafka().createTopics()) {
            return;
        }
        for (TopicDefinition definition : Topics.definitions()) {
            NewTopic topic = definition.toNewTopic(properties.kafka().replicationFactor());
            try {
                admin.createTopics(List.of(topic)).all().get();
                log.info("created topic {} ({} partitions, {})", topic.name(), topic.numPartitions(), topic.configs());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("cannot create topic " + topic.name(), e.getCause());
                }
            }
        }
    }
}
