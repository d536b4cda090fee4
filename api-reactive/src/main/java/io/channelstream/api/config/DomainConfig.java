package io.channelstream.api.config;

import io.channelstream.regions.RegionTree;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration
public class DomainConfig {

    @Bean
    RegionTree regionTree() {
        return RegionTree.china();
    }
}
