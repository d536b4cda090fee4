package io.channelstream.api.streams;

import io.channelstream.api.config.ChannelstreamProperties;
import io.channelstream.api.kafka.KafkaTopics;
import io.channelstream.schemas.EventSerdes;
import io.channelstream.streams.DeadLetterHandler;
import io.channelstream.streams.StreamsSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Runs the topologies this instance is configured for, one {@link KafkaStreams} per topology (each
 * its own application id, so they scale and rebalance independently). They start after the web
 * server, because each advertises this instance's {@code host:port} for query routing.
 */
@Component
public class TopologyRunner implements SmartLifecycle, ApplicationListener<WebServerInitializedEvent> {

    public static final String INVENTORY = "inventory";

    private static final Logger log = LoggerFactory.getLogger(TopologyRunner.class);

    private final ChannelstreamProperties properties;
    private final EventSerdes serdes;
    private final Map<String, TopologyDefinition> definitions = new LinkedHashMap<>();
    private final Map<String, KafkaStreams> running = new LinkedHashMap<>();
    private volatile HostInfo self;
    private volatile boolean started;

    public TopologyRunner(ChannelstreamProperties properties, EventSerdes serdes, KafkaTopics topicsReady,
                          List<TopologyDefinition> available) {
        this.properties = properties;
        this.serdes = serdes;
        available.forEach(definition -> definitions.put(definition.name(), definition));
    }

    @Override
    public void onApplicationEvent(WebServerInitializedEvent event) {
        if ("management".equals(event.getApplicationContext().getServerNamespace())) {
            return;
        }
        String advertised = properties.streams().advertisedHost();
        self = advertised == null || advertised.isBlank()
                ? new HostInfo("localhost", event.getWebServer().getPort())
                : HostInfo.buildFromEndpoint(advertised);
    }

    @Override
    public synchronized void start() {
        if (self == null) {
            throw new IllegalStateException("the web server has not announced its port");
        }
        for (String name : properties.streams().topologies()) {
            java.util.Properties props = settings(name).toProperties();
            props.putAll(definition(name).streamsOverrides());
            KafkaStreams streams = new KafkaStreams(definition(name).builder().apply(serdes), props);
            streams.setUncaughtExceptionHandler(exception -> {
                log.error("stream thread of topology {} died; replacing it", name, exception);
                return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
            });
            streams.setStateListener((now, before) -> log.info("topology {}: {} -> {}", name, before, now));
            streams.start();
            running.put(name, streams);
        }
        started = true;
    }

    @Override
    public synchronized void stop() {
        running.forEach((name, streams) -> streams.close(Duration.ofSeconds(10)));
        running.clear();
        started = false;
    }

    @Override
    public boolean isRunning() {
        return started;
    }

    @Override
    public int getPhase() {
        // after the web server (which announces the port), before nothing else of ours
        return Integer.MAX_VALUE;
    }

    public Optional<KafkaStreams> streams(String topology) {
        return Optional.ofNullable(running.get(topology));
    }

    public Map<String, KafkaStreams> all() {
        return Map.copyOf(running);
    }

    /** This instance as other instances reach it. */
    public HostInfo self() {
        return self;
    }

    private TopologyDefinition definition(String name) {
        TopologyDefinition definition = definitions.get(name);
        if (definition == null) {
            throw new IllegalArgumentException("unknown topology '" + name + "' in channelstream.streams.topologies; "
                    + "known: " + definitions.keySet());
        }
        return definition;
    }

    private StreamsSettings settings(String name) {
        ChannelstreamProperties.Streams streams = properties.streams();
        Path stateDir = streams.stateDir().resolve(self.host() + "-" + self.port());
        return new StreamsSettings(
                streams.applicationIdPrefix() + "-" + name,
                properties.kafka().bootstrapServers(),
                stateDir,
                self.host() + ":" + self.port(),
                properties.kafka().replicationFactor(),
                streams.standbyReplicas(),
                streams.commitIntervalMillis(),
                streams.streamThreads(),
                DeadLetterHandler.DEFAULT_TOPIC);
    }
}
