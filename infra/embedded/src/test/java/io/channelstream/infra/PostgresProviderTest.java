package io.channelstream.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostgresProviderTest {

    @Test
    void providesAWorkingDatabaseAndSaysWhichSource() throws Exception {
        PostgresEndpoint endpoint;
        Source source;
        try (ProvidedPostgres pg = Postgres.provide("provider-test")) {
            endpoint = pg.endpoint();
            source = pg.source();
            assertThat(pg.description()).contains("PostgreSQL for 'provider_test': " + pg.source());
            if (source != Source.CONFIGURED) {
                assertThat(pg.description()).contains("configured: CHANNELSTREAM_POSTGRES_URL not set");
            }
            if (!Docker.isAvailable() && source != Source.CONFIGURED) {
                assertThat(pg.description()).contains("testcontainers: Docker engine not available");
            }
            useIt(pg);
        }
        if (source == Source.LOCAL) {
            // a fresh database per call, dropped on close
            assertThat(endpoint.database()).startsWith("channelstream_provider_test_");
            try (Connection admin = DriverManager.getConnection(endpoint.withDatabase("postgres").jdbcUrl(),
                    endpoint.jdbcProperties());
                 Statement s = admin.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_database WHERE datname = '"
                         + endpoint.database() + "'")) {
                rs.next();
                assertThat(rs.getInt(1)).isZero();
            }
        }
    }

    @Test
    void twoCallsNeverShareADatabase() {
        try (ProvidedPostgres a = Postgres.provide("same"); ProvidedPostgres b = Postgres.provide("same")) {
            assertThat(a.endpoint()).isNotEqualTo(b.endpoint());
        }
    }

    @Test
    void embeddedServerCanBeForcedBySystemProperty() throws Exception {
        PostgresEndpoint endpoint;
        System.setProperty("channelstream.postgres.source", "embedded");
        try (ProvidedPostgres pg = Postgres.provide("embedded")) {
            assertThat(pg.source()).isEqualTo(Source.EMBEDDED);
            assertThat(pg.description()).contains("forced by");
            endpoint = pg.endpoint();
            try (Connection c = pg.connect(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SHOW server_version")) {
                rs.next();
                assertThat(rs.getString(1)).startsWith("15.");
            }
            useIt(pg);
        } finally {
            System.clearProperty("channelstream.postgres.source");
        }
        // close stopped the server
        assertThatThrownBy(() -> DriverManager.getConnection(endpoint.jdbcUrl(), endpoint.jdbcProperties()).close())
                .isInstanceOf(SQLException.class);
    }

    @Test
    void embeddedDataDirectoryKeepsDataAcrossRestarts(@TempDir Path dir) throws Exception {
        Postgres.Builder local = Postgres.builder().source(Source.EMBEDDED)
                .embeddedDataDirectory(dir.resolve("postgres")).database("channelstream");
        try (ProvidedPostgres pg = local.provide(); Connection c = pg.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE kept (v text)");
            s.execute("INSERT INTO kept VALUES ('still here')");
        }
        try (ProvidedPostgres pg = local.provide(); Connection c = pg.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT v FROM kept")) {
            assertThat(pg.endpoint().database()).isEqualTo("channelstream");
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("still here");
        }
    }

    @Test
    void configuredAddressWinsAndIsUsedAsGiven() throws Exception {
        try (ProvidedPostgres real = Postgres.provide("configured")) {
            PostgresEndpoint e = real.endpoint();
            System.setProperty(Settings.POSTGRES_URL, e.jdbcUrl() + "?sslmode=disable");
            System.setProperty(Settings.POSTGRES_USER, e.user());
            try (ProvidedPostgres pg = Postgres.provide("ignored")) {
                assertThat(pg.source()).isEqualTo(Source.CONFIGURED);
                assertThat(pg.endpoint()).isEqualTo(e);
                useIt(pg);
            } finally {
                System.clearProperty(Settings.POSTGRES_URL);
                System.clearProperty(Settings.POSTGRES_USER);
            }
        }
    }

    @Test
    void forcingAnUnusableSourceFailsWithTheReason() {
        assertThatThrownBy(() -> Postgres.builder().source(Source.CONFIGURED).provide())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("CHANNELSTREAM_POSTGRES_URL not set");
    }

    @Test
    void endpointParsesAndRendersUrls() {
        PostgresEndpoint e = PostgresEndpoint.parse("jdbc:postgresql://db.example:6543/orders?ssl=true", "app", "s3cret");
        assertThat(e).isEqualTo(new PostgresEndpoint("db.example", 6543, "orders", "app", "s3cret"));
        assertThat(e.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example:6543/orders");
        assertThat(e.r2dbcUrl()).isEqualTo("r2dbc:postgresql://db.example:6543/orders");
        assertThat(e.toString()).doesNotContain("s3cret");
        assertThat(PostgresEndpoint.parse("postgres://u:p@h/d", null, null))
                .isEqualTo(new PostgresEndpoint("h", 5432, "d", "u", "p"));
        assertThatThrownBy(() -> PostgresEndpoint.parse("jdbc:mysql://h/d", null, null))
                .hasMessageContaining("not a PostgreSQL URL");
    }

    private static void useIt(ProvidedPostgres pg) throws SQLException {
        try (Connection c = pg.connect(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT 1")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(1);
            }
            s.execute("CREATE TABLE IF NOT EXISTS provider_check (id int primary key, note text)");
            s.execute("INSERT INTO provider_check VALUES (1, 'ok') ON CONFLICT (id) DO NOTHING");
            try (ResultSet rs = s.executeQuery("SELECT note FROM provider_check WHERE id = 1")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("ok");
            }
        }
    }
}
