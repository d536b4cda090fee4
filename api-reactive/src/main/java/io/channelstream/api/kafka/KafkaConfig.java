package io.channelstream.api.kafka;

import io.channelstream.api.config.ChannelstreamProperties;
import io.channelstream.schemas.EventSerdes;
import io.channelstream.schemas.SchemaRegistryClient;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration
public class KafkaConfig {

    @Bean(destroyMethod = "close")
    Admin kafkaAdmin(ChannelstreamProperties properties) {
        return Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(properties),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000));
    }

    @Bean
    EventSerdes eventSerdes(SchemaRegistryClient registry) {
        return new EventSerdes(registry, true);
    }

    @Bean(destroyMethod = "close")
    ReactorKafkaEventBus eventBus(ChannelstreamProperties properties, EventSerdes serdes,
                                  KafkaTopics topicsReady, SchemaBootstrap schemasReady) {
        return new ReactorKafkaEventBus(bootstrapServers(properties), serdes);
    }

    static String bootstrapServers(ChannelstreamProperties properties) {
        String servers = properties.kafka().bootstrapServers();
        if (servers == null || servers.isBlank()) {
            throw new IllegalStateException("channelstream.kafka.bootstrap-servers is not set "
                    + "(local mode sets it when it starts the embedded broker)");
        }
        return servers;
    }
}
