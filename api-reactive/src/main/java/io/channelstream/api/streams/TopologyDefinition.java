package io.channelstream.api.streams;

import io.channelstream.schemas.EventSerdes;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.streams.Topology;

/**
 * A topology this application can run. Each capability declares its own as a bean; the runner
 * starts those named in {@code channelstream.streams.topologies}.
 *
 * @param name    short name used in configuration and health ({@code inventory}, {@code diversion}...)
 * @param builder builds the topology from the serdes
 * @param streamsOverrides Kafka Streams settings this topology runs with over the shared ones (its library
 *                         says which and why), e.g. the inventory's {@code max.task.idle.ms}
 */
public record TopologyDefinition(String name, Function<EventSerdes, Topology> builder,
                                 Map<String, Object> streamsOverrides) {

    public TopologyDefinition {
        streamsOverrides = Map.copyOf(streamsOverrides);
    }

    public TopologyDefinition(String name, Function<EventSerdes, Topology> builder) {
        this(name, builder, Map.of());
    }
}
