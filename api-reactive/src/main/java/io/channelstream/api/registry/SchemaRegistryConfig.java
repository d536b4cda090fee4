package io.channelstream.api.registry;

import io.channelstream.api.config.ChannelstreamProperties;
import io.channelstream.api.kafka.KafkaTopics;
import io.channelstream.schemas.InProcessSchemaRegistryClient;
import io.channelstream.schemas.RestSchemaRegistryClient;
import io.channelstream.schemas.SchemaRegistryClient;
import io.channelstream.schemas.SchemaStore;
import java.net.URI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Which schema registry the serdes talk to: an external Confluent-compatible one when
 * {@code channelstream.schema-registry.url} is set (production), otherwise the one this app embeds
 * and serves at {@code /schema-registry} (local mode), whose store is replayed from its topic.
 */
@Configuration
public class SchemaRegistryConfig {

    private static final Logger log = LoggerFactory.getLogger(SchemaRegistryConfig.class);

    /** The embedded registry's store and its log; absent when an external registry is used. */
    public record EmbeddedRegistry(SchemaStore store, SchemaLog log) implements AutoCloseable {
        @Override
        public void close() {
            log.close();
        }
    }

    @Bean(destroyMethod = "close")
    EmbeddedRegistryHolder embeddedRegistry(ChannelstreamProperties properties, KafkaTopics topicsReady) {
        ChannelstreamProperties.SchemaRegistry settings = properties.schemaRegistry();
        if (!settings.embedded()) {
            return new EmbeddedRegistryHolder(null);
        }
        SchemaLog schemaLog = new SchemaLog(properties.kafka().bootstrapServers());
        // apply() during the replay does not write back; later registrations are written first
        SchemaStore store = new SchemaStore(schemaLog::write);
        int restored = schemaLog.restoreInto(store, settings.restoreTimeout());
        log.info("embedded schema registry ready: {} versions restored from its topic", restored);
        return new EmbeddedRegistryHolder(new EmbeddedRegistry(store, schemaLog));
    }

    @Bean
    SchemaRegistryClient schemaRegistryClient(ChannelstreamProperties properties, EmbeddedRegistryHolder embedded) {
        if (embedded.registry() != null) {
            EmbeddedRegistry registry = embedded.registry();
            return new InProcessSchemaRegistryClient(registry.store(),
                    () -> registry.log().catchUp(registry.store(), properties.schemaRegistry().restoreTimeout()));
        }
        ChannelstreamProperties.SchemaRegistry settings = properties.schemaRegistry();
        log.info("using the external schema registry at {}", settings.url());
        return new RestSchemaRegistryClient(URI.create(settings.url()), settings.username(), settings.password());
    }

    /** Wraps the optional embedded registry so it can be a bean either way. */
    public record EmbeddedRegistryHolder(EmbeddedRegistry registry) implements AutoCloseable {
        @Override
        public void close() {
            if (registry != null) {
                registry.close();
            }
        }
    }
}
