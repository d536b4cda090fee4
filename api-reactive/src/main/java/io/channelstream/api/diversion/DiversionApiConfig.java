package io.channelstream.api.diversion;

import io.channelstream.api.streams.TopologyDefinition;
import io.channelstream.diversion.DiversionConfig;
import io.channelstream.diversion.DiversionTopology;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The diversion topology, run when {@code channelstream.streams.topologies} names {@value #TOPOLOGY}. */
@Configuration
public class DiversionApiConfig {

    public static final String TOPOLOGY = "diversion";

    @Bean
    DiversionConfig diversionConfig(DiversionProperties properties) {
        return properties.toConfig();
    }

    @Bean
    TopologyDefinition diversionTopology(DiversionConfig config) {
        return new TopologyDefinition(TOPOLOGY, serdes -> DiversionTopology.build(config, serdes),
                DiversionTopology.streamsOverrides());
    }
}
