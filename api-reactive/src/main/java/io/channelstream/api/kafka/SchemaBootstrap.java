package io.channelstream.api.kafka;

import io.channelstream.schemas.SchemaRegistryClient;
import io.channelstream.schemas.Topic;
import io.channelstream.schemas.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Registers the value schema of every catalogue topic at start-up, on the start-up thread. The
 * registry refuses a schema that is not BACKWARD compatible with what is there, so an incompatible
 * deployment fails here, before it writes a single event; and afterwards the serdes find every id
 * in their cache, so serializing on a request never waits on the registry.
 */
@Component
public class SchemaBootstrap {

    private static final Logger log = LoggerFactory.getLogger(SchemaBootstrap.class);

    public SchemaBootstrap(SchemaRegistryClient registry) {
        for (Topic<?> topic : Topics.all()) {
            int id = registry.register(topic.valueSubject(), topic.valueSchema());
            log.debug("schema of {} registered as id {}", topic.valueSubject(), id);
        }
        log.info("{} value schemas registered", Topics.all().size());
    }
}
