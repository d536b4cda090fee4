package io.channelstream.api.forecast;

import io.channelstream.api.streams.TopologyDefinition;
import io.channelstream.forecast.ForecastConfig;
import io.channelstream.forecast.ForecastTopology;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration
public class ForecastConfiguration {

    /** Name under {@code channelstream.streams.topologies}. */
    public static final String FORECAST = "forecast";

    @Bean
    ForecastConfig forecastConfig() {
        return ForecastConfig.DEFAULT;
    }

    @Bean
    TopologyDefinition forecastTopology(ForecastConfig config) {
        return new TopologyDefinition(FORECAST, serdes -> ForecastTopology.build(config, serdes));
    }
}
