package io.channelstream.api.inventory;

import io.channelstream.api.streams.TopologyDefinition;
import io.channelstream.api.streams.TopologyRunner;
import io.channelstream.inventory.InventoryTopology;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration
public class InventoryConfig {

    @Bean
    TopologyDefinition inventoryTopology() {
        return new TopologyDefinition(TopologyRunner.INVENTORY, InventoryTopology::build,
                InventoryTopology.streamsOverrides());
    }
}
