package io.channelstream.infra;

import static org.assertj.core.api.Assertions.assertThat;

import io.channelstream.infra.junit.RequiresDocker;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** Runs only where a Docker engine answers; elsewhere it is reported as skipped, with the reason. */
@RequiresDocker
class TestcontainersPostgresTest {

    @Test
    void postgresContainerAnswers() throws Exception {
        try (ProvidedPostgres pg = Postgres.builder().source(Source.TESTCONTAINERS).purpose("tc").provide();
             Connection c = pg.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT 1")) {
            assertThat(pg.source()).isEqualTo(Source.TESTCONTAINERS);
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(1);
        }
    }

    @Test
    void redisContainerAnswers() throws Exception {
        try (ProvidedRedis redis = Redis.builder().source(Source.TESTCONTAINERS).provide();
             Resp resp = new Resp(redis.endpoint())) {
            assertThat(redis.source()).isEqualTo(Source.TESTCONTAINERS);
            assertThat(resp.command("PING")).isEqualTo("PONG");
        }
    }
}
