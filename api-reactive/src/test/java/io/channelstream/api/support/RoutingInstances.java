package io.channelstream.api.support;

import io.channelstream.api.ChannelstreamApplication;
import io.channelstream.api.streams.TopologyRunner;
import io.channelstream.infra.Infrastructure;
import io.channelstream.infra.PostgresEndpoint;
import io.channelstream.infra.RedisEndpoint;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KafkaStreams;
import org.awaitility.Awaitility;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Several instances of the application in this JVM, as a deployment runs them: one application id, one
 * topology, the shared broker, PostgreSQL and Redis, each on its own port and state directory, all trusting
 * one test identity provider. For the tests of routing between instances and of take-over after a stop.
 */
public final class RoutingInstances implements AutoCloseable {

    private final TestIdentityProvider identityProvider;
    private final String applicationIdPrefix;
    private final String topology;
    private final List<ConfigurableApplicationContext> running = new ArrayList<>();

    public RoutingInstances(TestIdentityProvider identityProvider, String applicationIdPrefix, String topology) {
        this.identityProvider = identityProvider;
        this.applicationIdPrefix = applicationIdPrefix;
        this.topology = topology;
    }

    /** Starts one more instance; {@code extraArgs} are further {@code --name=value} arguments. */
    public ConfigurableApplicationContext start(String... extraArgs) throws Exception {
        Infrastructure infra = Infrastructure.shared();
        PostgresEndpoint postgres = infra.postgres().endpoint();
        RedisEndpoint redis = infra.redis().endpoint();
        String password = postgres.password() == null ? "" : postgres.password();
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0",
                "--channelstream.local.enabled=false",
                "--channelstream.security.local-issuer=false",
                "--spring.security.oauth2.resourceserver.jwt.public-key-location="
                        + identityProvider.publicKeyLocation(),
                "--channelstream.kafka.bootstrap-servers=" + infra.kafka().bootstrapServers(),
                "--channelstream.streams.application-id-prefix=" + applicationIdPrefix,
                "--channelstream.streams.topologies=" + topology,
                "--channelstream.streams.state-dir=" + Files.createTempDirectory(applicationIdPrefix + "-state"),
                "--spring.r2dbc.url=" + postgres.r2dbcUrl(),
                "--spring.r2dbc.username=" + postgres.user(),
                "--spring.r2dbc.password=" + password,
                "--spring.flyway.url=" + postgres.jdbcUrl(),
                "--spring.flyway.user=" + postgres.user(),
                "--spring.flyway.password=" + password,
                "--spring.data.redis.host=" + redis.host(),
                "--spring.data.redis.port=" + redis.port()));
        args.addAll(List.of(extraArgs));
        ConfigurableApplicationContext context = ChannelstreamApplication.application(IsolatedNettyResources.class)
                .run(args.toArray(String[]::new));
        running.add(context);
        return context;
    }

    /** Stops one instance now (the others take its partitions over). */
    public void stop(ConfigurableApplicationContext instance) {
        instance.close();
        running.remove(instance);
    }

    /** Waits until every given instance runs the topology and owns at least one active task. */
    public void awaitRunning(Duration atMost, ConfigurableApplicationContext... instances) {
        Awaitility.await().atMost(atMost).until(() -> {
            for (ConfigurableApplicationContext instance : instances) {
                KafkaStreams streams = instance.getBean(TopologyRunner.class).streams(topology).orElseThrow();
                boolean ownsTasks = streams.metadataForLocalThreads().stream()
                        .anyMatch(thread -> !thread.activeTasks().isEmpty());
                if (streams.state() != KafkaStreams.State.RUNNING || !ownsTasks) {
                    return false;
                }
            }
            return true;
        });
    }

    public static String hostOf(ConfigurableApplicationContext instance) {
        return "localhost:" + ((WebServerApplicationContext) instance).getWebServer().getPort();
    }

    public static WebTestClient client(ConfigurableApplicationContext instance) {
        return WebTestClient.bindToServer().baseUrl("http://" + hostOf(instance))
                .responseTimeout(Duration.ofSeconds(30)).build();
    }

    @Override
    public void close() {
        running.forEach(ConfigurableApplicationContext::close);
        running.clear();
    }
}
