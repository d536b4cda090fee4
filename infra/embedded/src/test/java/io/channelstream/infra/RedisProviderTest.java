package io.channelstream.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class RedisProviderTest {

    @Test
    void providesAServerAnsweringPingAndSetGet() throws IOException {
        try (ProvidedRedis redis = Redis.provide()) {
            assertThat(redis.description()).startsWith("Redis: " + redis.source());
            if (redis.source() != Source.CONFIGURED && !Docker.isAvailable()) {
                assertThat(redis.description()).contains("testcontainers: Docker engine not available");
            }
            pingSetGet(redis);
        }
    }

    @Test
    void embeddedServerCanBeForcedBySystemProperty() throws IOException {
        RedisEndpoint endpoint;
        System.setProperty("channelstream.redis.source", "embedded");
        try (ProvidedRedis redis = Redis.provide()) {
            assertThat(redis.source()).isEqualTo(Source.EMBEDDED);
            endpoint = redis.endpoint();
            assertThat(endpoint.port()).isNotEqualTo(6379);
            pingSetGet(redis);
            try (Resp resp = new Resp(endpoint)) {
                // persistence is off
                assertThat(resp.command("CONFIG", "GET", "appendonly")).isEqualTo("appendonly no");
                assertThat(resp.command("CONFIG", "GET", "save")).isEqualTo("save ");
            }
        } finally {
            System.clearProperty("channelstream.redis.source");
        }
        assertThat(Redis.pingProblem(endpoint.host(), endpoint.port())).isNotNull();
    }

    @Test
    void configuredUrlWins() throws IOException {
        try (ProvidedRedis real = Redis.provide()) {
            System.setProperty(Settings.REDIS_URL, real.endpoint().url());
            try (ProvidedRedis redis = Redis.provide()) {
                assertThat(redis.source()).isEqualTo(Source.CONFIGURED);
                assertThat(redis.endpoint()).isEqualTo(real.endpoint());
                pingSetGet(redis);
            } finally {
                System.clearProperty(Settings.REDIS_URL);
            }
        }
    }

    @Test
    void endpointParsesUrls() {
        assertThat(RedisEndpoint.parse("redis://cache:7000")).isEqualTo(new RedisEndpoint("cache", 7000));
        assertThat(RedisEndpoint.parse("redis://:pw@cache")).isEqualTo(new RedisEndpoint("cache", 6379, "pw"));
        assertThat(new RedisEndpoint("h", 1, "pw").url()).isEqualTo("redis://:pw@h:1");
        assertThatThrownBy(() -> RedisEndpoint.parse("http://cache:7000")).hasMessageContaining("not a Redis URL");
    }

    private static void pingSetGet(ProvidedRedis redis) throws IOException {
        try (Resp resp = new Resp(redis.endpoint())) {
            assertThat(resp.command("PING")).isEqualTo("PONG");
            String key = redis.keyPrefix() + "greeting";
            assertThat(resp.command("SET", key, "你好")).isEqualTo("OK");
            assertThat(resp.command("GET", key)).isEqualTo("你好");
            assertThat(resp.command("DEL", key)).isEqualTo("1");
        }
    }
}
