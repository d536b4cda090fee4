package io.channelstream.api.health;

import io.channelstream.api.streams.TopologyRunner;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.streams.KafkaStreams;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Up while every topology of this instance is RUNNING or REBALANCING (a rebalance is normal life:
 * queries answer 503 with Retry-After meanwhile). Down when one is not started, in error or stopped.
 */
@Component("kafkaStreams")
public class KafkaStreamsHealthIndicator implements HealthIndicator {

    private final TopologyRunner runner;

    public KafkaStreamsHealthIndicator(TopologyRunner runner) {
        this.runner = runner;
    }

    @Override
    public Health health() {
        Map<String, KafkaStreams> topologies = runner.all();
        if (topologies.isEmpty()) {
            return Health.down().withDetail("reason", "no topology started").build();
        }
        Map<String, String> states = new TreeMap<>();
        boolean up = true;
        for (Map.Entry<String, KafkaStreams> topology : topologies.entrySet()) {
            KafkaStreams.State state = topology.getValue().state();
            states.put(topology.getKey(), state.name());
            up &= state == KafkaStreams.State.RUNNING || state == KafkaStreams.State.REBALANCING;
        }
        return (up ? Health.up() : Health.down()).withDetails(Map.copyOf(states)).build();
    }
}
