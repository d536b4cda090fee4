package io.channelstream.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InfrastructureTest {

    @Test
    void sharedInstanceServesAllThreeAndIgnoresClose() throws Exception {
        Infrastructure shared = Infrastructure.shared();
        shared.close(); // no effect on the JVM-wide instance
        try (Connection c = shared.postgres().connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT current_database()")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo(shared.postgres().endpoint().database());
        }
        try (Resp resp = new Resp(shared.redis().endpoint())) {
            assertThat(resp.command("PING")).isEqualTo("PONG");
        }
        assertThat(shared.kafka().bootstrapServers()).isNotBlank();
        assertThat(shared.describe()).hasSize(3);
    }

    @Test
    void builtInstanceUsesItsDataDirectoryAndStopsOnClose(@TempDir Path dir) {
        Infrastructure infra = Infrastructure.builder().purpose("builder").dataDirectory(dir)
                .postgresDatabase("channelstream_builder_kept").build().start();
        String bootstrap;
        try (infra) {
            bootstrap = infra.kafka().bootstrapServers();
            assertThat(infra.kafka().source()).isEqualTo(Source.EMBEDDED);
            assertThat(Files.isDirectory(dir.resolve("kafka"))).isTrue();
            assertThat(infra.postgres().endpoint().database()).isEqualTo("channelstream_builder_kept");
            assertThat(infra.describe()).hasSize(3);
        }
        assertThatThrownBy(infra::kafka).isInstanceOf(IllegalStateException.class);
        assertThat(bootstrap).startsWith("localhost:");
        // tidy the kept database when it went to the shared local server
        try (ProvidedPostgres pg = Postgres.builder().purpose("cleanup").provide()) {
            if (pg.source() == Source.LOCAL) {
                try (Connection c = pg.connect(); Statement s = c.createStatement()) {
                    s.execute("DROP DATABASE IF EXISTS channelstream_builder_kept WITH (FORCE)");
                }
            }
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void withNoLocalServicesItFallsBackToEmbeddedServers() throws Exception {
        int nothingThere = Redis.freePort();
        System.setProperty(Settings.POSTGRES_LOCAL_PORT, Integer.toString(nothingThere));
        System.setProperty(Settings.REDIS_LOCAL_PORT, Integer.toString(nothingThere));
        try (ProvidedPostgres pg = Postgres.provide("fallback"); ProvidedRedis redis = Redis.provide()) {
            if (pg.source() != Source.CONFIGURED && !Docker.isAvailable()) {
                assertThat(pg.source()).isEqualTo(Source.EMBEDDED);
                assertThat(pg.description()).contains("local: nothing listens on 127.0.0.1:" + nothingThere);
            }
            if (redis.source() != Source.CONFIGURED && !Docker.isAvailable()) {
                assertThat(redis.source()).isEqualTo(Source.EMBEDDED);
                assertThat(redis.description()).contains("local: no Redis answers PING on 127.0.0.1:" + nothingThere);
            }
            try (Connection c = pg.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
                assertThat(rs.next()).isTrue();
            }
            try (Resp resp = new Resp(redis.endpoint())) {
                assertThat(resp.command("PING")).isEqualTo("PONG");
            }
        } finally {
            System.clearProperty(Settings.POSTGRES_LOCAL_PORT);
            System.clearProperty(Settings.REDIS_LOCAL_PORT);
        }
    }
}
