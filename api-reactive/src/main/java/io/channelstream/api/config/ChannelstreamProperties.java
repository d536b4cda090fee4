package io.channelstream.api.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Everything Channelstream itself reads from configuration ({@code channelstream.*}). Spring's own
 * settings (R2DBC, Flyway, Redis, OAuth2) stay under their usual {@code spring.*} names.
 */
@ConfigurationProperties("channelstream")
public record ChannelstreamProperties(
        @DefaultValue Local local,
        @DefaultValue Kafka kafka,
        @DefaultValue SchemaRegistry schemaRegistry,
        @DefaultValue Streams streams,
        @DefaultValue Security security) {

    /**
     * Local mode: start a real embedded server for every backing service that is not configured
     * (Kafka, PostgreSQL, Redis) and serve the schema registry from this app.
     */
    public record Local(
            @DefaultValue("false") boolean enabled,
            @DefaultValue("9092") int kafkaPort,
            @DefaultValue(".channelstream") Path dataDir) {}

    public record Kafka(
            String bootstrapServers,
            @DefaultValue("1") short replicationFactor,
            @DefaultValue("true") boolean createTopics) {}

    /**
     * @param url      an external Confluent-compatible registry; empty means this app serves one
     *                 at {@code /schema-registry}, persisted in a compacted topic
     * @param username HTTP basic credentials (sent to an external registry; required by the embedded one)
     */
    public record SchemaRegistry(
            String url,
            @DefaultValue("registry") String username,
            @DefaultValue("registry-secret") String password,
            @DefaultValue("PT30S") Duration restoreTimeout) {

        public boolean embedded() {
            return url == null || url.isBlank();
        }
    }

    /**
     * @param advertisedHost this instance's {@code host:port} as other instances reach it (query routing)
     * @param topologies     which topologies this instance runs
     */
    public record Streams(
            @DefaultValue("channelstream") String applicationIdPrefix,
            @DefaultValue("${java.io.tmpdir}/channelstream-streams") Path stateDir,
            String advertisedHost,
            @DefaultValue("0") int standbyReplicas,
            @DefaultValue("100") long commitIntervalMillis,
            @DefaultValue("1") int streamThreads,
            @DefaultValue("inventory") List<String> topologies,
            @DefaultValue("PT1S") Duration retryAfter) {}

    /**
     * @param localIssuer sign tokens with a key generated at start and print one per role (local mode);
     *                    production verifies RS256 through {@code spring.security.oauth2.resourceserver.jwt.*}
     */
    public record Security(
            @DefaultValue("false") boolean localIssuer,
            @DefaultValue("channelstream-local") String localIssuerName,
            @DefaultValue("PT12H") Duration localTokenValidity) {}
}
