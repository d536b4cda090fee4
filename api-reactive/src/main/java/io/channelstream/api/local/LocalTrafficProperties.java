package io.channelstream.api.local;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Local mode's simulated brand ({@code channelstream.local.*}, beside {@code ChannelstreamProperties.Local}).
 *
 * @param liveTrafficPerSecond events per second published while the app runs; 0 turns live traffic off
 * @param demoScale            size of the simulated network against the seed's (1 = 1,228 locations and 520
 *                             SKUs); small by default so start-up stays quick (0.03: 4 tier-1 dealers,
 *                             24 distributors, 9 stores, 16 SKUs)
 * @param seed                 the simulator's seed: the same seed gives the same network
 */
@ConfigurationProperties("channelstream.local")
public record LocalTrafficProperties(
        @DefaultValue("3") double liveTrafficPerSecond,
        @DefaultValue("0.03") double demoScale,
        @DefaultValue("42") long seed) {}
