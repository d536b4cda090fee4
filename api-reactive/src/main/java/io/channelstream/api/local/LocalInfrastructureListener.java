package io.channelstream.api.local;

import io.channelstream.infra.Infrastructure;
import io.channelstream.infra.PostgresEndpoint;
import io.channelstream.infra.RedisEndpoint;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Local mode: before any bean is created, gives the application a real Kafka broker, PostgreSQL and
 * Redis for whichever of them configuration does not name. Each comes from the first source that
 * works: configured address, Testcontainers (when Docker runs), the local service, an embedded
 * server (see {@code io.channelstream.infra}). The servers live as long as the JVM.
 */
public final class LocalInfrastructureListener implements ApplicationListener<ApplicationEnvironmentPreparedEvent> {

    public static final String PROPERTY_SOURCE = "channelstreamLocalInfrastructure";

    private static final Logger log = LoggerFactory.getLogger(LocalInfrastructureListener.class);

    private static Infrastructure infrastructure;

    @Override
    public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
        ConfigurableEnvironment env = event.getEnvironment();
        if (!env.getProperty("channelstream.local.enabled", Boolean.class, false)
                || env.getPropertySources().contains(PROPERTY_SOURCE)) {
            return;
        }
        Infrastructure infra = start(env);
        Map<String, Object> provided = new LinkedHashMap<>();
        if (!configured(env, "channelstream.kafka.bootstrap-servers")) {
            provided.put("channelstream.kafka.bootstrap-servers", infra.kafka().bootstrapServers());
        }
        if (!configured(env, "spring.r2dbc.url")) {
            PostgresEndpoint postgres = infra.postgres().endpoint();
            provided.put("spring.r2dbc.url", postgres.r2dbcUrl());
            provided.put("spring.r2dbc.username", postgres.user());
            provided.put("spring.r2dbc.password", postgres.password() == null ? "" : postgres.password());
            provided.put("spring.flyway.url", postgres.jdbcUrl());
            provided.put("spring.flyway.user", postgres.user());
            provided.put("spring.flyway.password", postgres.password() == null ? "" : postgres.password());
        }
        if (!configured(env, "spring.data.redis.host") && !configured(env, "spring.data.redis.url")) {
            RedisEndpoint redis = infra.redis().endpoint();
            provided.put("spring.data.redis.host", redis.host());
            provided.put("spring.data.redis.port", redis.port());
        }
        infra.describe().forEach(line -> log.info("local mode: {}", line));
        env.getPropertySources().addLast(new MapPropertySource(PROPERTY_SOURCE, provided));
    }

    private static synchronized Infrastructure start(ConfigurableEnvironment env) {
        if (infrastructure == null) {
            Path dataDir = Path.of(env.getProperty("channelstream.local.data-dir", ".channelstream"));
            int kafkaPort = env.getProperty("channelstream.local.kafka-port", Integer.class, 9092);
            infrastructure = Infrastructure.builder()
                    .localDefaults()
                    .kafkaPort(kafkaPort)
                    .dataDirectory(dataDir)
                    .build();
            Runtime.getRuntime().addShutdownHook(new Thread(infrastructure::close, "channelstream-local-shutdown"));
            log.info("local mode: starting what configuration does not name (data in {})", dataDir.toAbsolutePath());
        }
        return infrastructure;
    }

    private static boolean configured(ConfigurableEnvironment env, String property) {
        String value = env.getProperty(property);
        return value != null && !value.isBlank();
    }
}
