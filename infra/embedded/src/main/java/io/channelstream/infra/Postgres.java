package io.channelstream.infra;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands out a PostgreSQL database, taking the server from the first source that works:
 * <ol>
 *   <li>{@link Source#CONFIGURED}: {@code CHANNELSTREAM_POSTGRES_URL} (jdbc form) with
 *       {@code CHANNELSTREAM_POSTGRES_USER} / {@code CHANNELSTREAM_POSTGRES_PASSWORD}, used as given;</li>
 *   <li>{@link Source#TESTCONTAINERS}: a {@code postgres:15} container, when a Docker engine answers;</li>
 *   <li>{@link Source#LOCAL}: the server on 127.0.0.1:5432 ({@code CHANNELSTREAM_POSTGRES_LOCAL_PORT}) when user {@code postgres} logs in without a
 *       password; a fresh database is created per call so parallel runs never share one;</li>
 *   <li>{@link Source#EMBEDDED}: a real PostgreSQL 15 server from zonky's binaries, started as a child
 *       process (offline; as root it runs in a user namespace through {@code unshare -U}).</li>
 * </ol>
 * {@code CHANNELSTREAM_POSTGRES_SOURCE} (or {@code -Dchannelstream.postgres.source}) forces one source.
 */
public final class Postgres {

    private static final Logger log = LoggerFactory.getLogger(Postgres.class);

    static final String LOCAL_HOST = "127.0.0.1";
    static final int DEFAULT_LOCAL_PORT = 5432;
    static final String DEFAULT_IMAGE = "postgres:15";

    private Postgres() {
    }

    /** A fresh database for {@code purpose} (dropped, or its server stopped, on close). */
    public static ProvidedPostgres provide(String purpose) {
        return builder().purpose(purpose).provide();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Options; the defaults suit a test. */
    public static final class Builder {
        private String purpose = "test";
        private Source source;
        private String database;
        private PostgresEndpoint endpoint;
        private Path embeddedDataDirectory;
        private int embeddedPort;

        private Builder() {
        }

        /** Names the database ({@code channelstream_<purpose>_<random>}); letters, digits, underscores. */
        public Builder purpose(String purpose) {
            this.purpose = purpose;
            return this;
        }

        /** Use only this source (fails with the reason when it cannot be used). */
        public Builder source(Source source) {
            this.source = source;
            return this;
        }

        /**
         * A fixed database name, created when missing and kept on close (local mode). Without it each
         * call gets a fresh database that close drops.
         */
        public Builder database(String database) {
            this.database = database;
            return this;
        }

        /** An address to use as the configured source (wins over the environment). */
        public Builder endpoint(PostgresEndpoint endpoint) {
            this.endpoint = endpoint;
            return this;
        }

        /** Keep the embedded server's data here across restarts (local mode); default: a temp dir. */
        public Builder embeddedDataDirectory(Path directory) {
            this.embeddedDataDirectory = directory;
            return this;
        }

        /** Fixed port for the embedded server; 0 (default) picks a free one. */
        public Builder embeddedPort(int port) {
            this.embeddedPort = port;
            return this;
        }

        public ProvidedPostgres provide() {
            return Postgres.provide(this);
        }
    }

    private static ProvidedPostgres provide(Builder b) {
        String purpose = sanitize(b.purpose);
        Source forced = b.source != null ? b.source
                : Settings.get(Settings.POSTGRES_SOURCE)
                        .map(s -> Source.parse(s, Settings.POSTGRES_SOURCE)).orElse(null);
        List<String> skipped = new ArrayList<>();
        if (forced != null) {
            skipped.add("forced by " + (b.source != null ? "caller" : Settings.describe(Settings.POSTGRES_SOURCE))
                    + "=" + forced.name().toLowerCase(Locale.ROOT));
        }
        ProvidedPostgres result = null;

        if (forced == null || forced == Source.CONFIGURED) {
            Optional<PostgresEndpoint> configured = configured(b);
            if (configured.isPresent()) {
                result = new ProvidedPostgres(configured.get(), Source.CONFIGURED, "", () -> { });
            } else {
                String why = "configured: " + Settings.POSTGRES_URL + " not set";
                failIfForced(forced, Source.CONFIGURED, why);
                skipped.add(why);
            }
        }
        if (result == null && (forced == null || forced == Source.TESTCONTAINERS)) {
            if (Docker.isAvailable() && Docker.testcontainersPresent()) {
                String image = Settings.get(Settings.POSTGRES_IMAGE).orElse(DEFAULT_IMAGE);
                String db = b.database != null ? b.database : "channelstream_" + purpose;
                result = TestcontainersSupport.startPostgres(image, db, "");
            } else {
                String why = "testcontainers: " + (Docker.isAvailable()
                        ? "Testcontainers not on the classpath" : "Docker engine not available (" + Docker.reason() + ")");
                failIfForced(forced, Source.TESTCONTAINERS, why);
                skipped.add(why);
            }
        }
        if (result == null && (forced == null || forced == Source.LOCAL)) {
            int localPort = Settings.port(Settings.POSTGRES_LOCAL_PORT, DEFAULT_LOCAL_PORT);
            String problem = localProblem(localPort);
            if (problem == null) {
                PostgresEndpoint admin = new PostgresEndpoint(LOCAL_HOST, localPort, "postgres", "postgres", "");
                result = onServer(admin, purpose, b.database, Source.LOCAL, () -> { });
            } else {
                String why = "local: " + problem;
                failIfForced(forced, Source.LOCAL, why);
                skipped.add(why);
            }
        }
        if (result == null) {
            result = embedded(b, purpose);
        }
        String description = "PostgreSQL for '" + purpose + "': " + result.source() + " "
                + result.endpoint().jdbcUrl() + " as " + result.endpoint().user()
                + (skipped.isEmpty() ? "" : " (" + String.join("; ", skipped) + ")");
        log.info(description);
        return result.withDescription(description);
    }

    private static void failIfForced(Source forced, Source step, String why) {
        if (forced == step) {
            throw new IllegalStateException("PostgreSQL source " + step + " was forced but cannot be used: " + why);
        }
    }

    private static Optional<PostgresEndpoint> configured(Builder b) {
        if (b.endpoint != null) {
            return Optional.of(b.endpoint);
        }
        return Settings.get(Settings.POSTGRES_URL).map(url -> PostgresEndpoint.parse(url,
                Settings.get(Settings.POSTGRES_USER).orElse(null),
                Settings.get(Settings.POSTGRES_PASSWORD).orElse(null)));
    }

    /** Null when the local server takes user postgres without a password; otherwise why not. */
    static String localProblem(int port) {
        if (!Docker.connectsTcp(LOCAL_HOST, port)) {
            return "nothing listens on " + LOCAL_HOST + ":" + port;
        }
        PostgresEndpoint admin = new PostgresEndpoint(LOCAL_HOST, port, "postgres", "postgres", "");
        try (Connection c = DriverManager.getConnection(admin.jdbcUrl(), quickLogin(admin));
             Statement s = c.createStatement()) {
            s.execute("SELECT 1");
            return null;
        } catch (SQLException e) {
            return "login as postgres without password to " + LOCAL_HOST + ":" + port + " failed: "
                    + e.getMessage();
        }
    }

    private static Properties quickLogin(PostgresEndpoint endpoint) {
        Properties p = endpoint.jdbcProperties();
        p.setProperty("connectTimeout", "2");
        p.setProperty("loginTimeout", "3");
        p.setProperty("socketTimeout", "30");
        return p;
    }

    /**
     * Creates (fresh) or ensures (fixed) a database on a server reached through {@code admin}, which
     * must allow CREATE DATABASE. Close drops a fresh database, then runs {@code afterwards}.
     */
    private static ProvidedPostgres onServer(PostgresEndpoint admin, String purpose, String fixedDatabase,
                                             Source source, ProvidedPostgres.Cleanup afterwards) {
        String database = fixedDatabase != null ? fixedDatabase
                : "channelstream_" + purpose + "_" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 32);
        try (Connection c = DriverManager.getConnection(admin.jdbcUrl(), quickLogin(admin))) {
            boolean exists;
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                ps.setString(1, database);
                try (ResultSet rs = ps.executeQuery()) {
                    exists = rs.next();
                }
            }
            if (!exists) {
                try (Statement s = c.createStatement()) {
                    s.execute("CREATE DATABASE " + quoteIdentifier(database));
                }
            }
        } catch (SQLException e) {
            try {
                afterwards.run();
            } catch (Exception suppressed) {
                e.addSuppressed(suppressed);
            }
            throw new IllegalStateException("could not create database " + database + " on " + admin.jdbcUrl()
                    + ": " + e.getMessage(), e);
        }
        PostgresEndpoint endpoint = admin.withDatabase(database);
        ProvidedPostgres.Cleanup cleanup = fixedDatabase != null ? afterwards : () -> {
            try (Connection c = DriverManager.getConnection(admin.jdbcUrl(), quickLogin(admin));
                 Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + quoteIdentifier(database) + " WITH (FORCE)");
            } finally {
                afterwards.run();
            }
        };
        return new ProvidedPostgres(endpoint, source, "", cleanup);
    }

    private static ProvidedPostgres embedded(Builder b, String purpose) {
        boolean persistent = b.embeddedDataDirectory != null;
        EmbeddedPostgres server;
        try {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setServerConfig("max_connections", "300")
                    .setServerConfig("timezone", "UTC");
            if (b.embeddedPort > 0) {
                builder.setPort(b.embeddedPort);
            }
            if (persistent) {
                Files.createDirectories(b.embeddedDataDirectory);
                builder.setDataDirectory(b.embeddedDataDirectory).setCleanDataDirectory(false);
            } else {
                // throw-away cluster: durability buys nothing
                builder.setServerConfig("fsync", "off")
                        .setServerConfig("synchronous_commit", "off")
                        .setServerConfig("full_page_writes", "off");
            }
            server = builder.start();
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("embedded PostgreSQL did not start: " + e.getMessage()
                    + (isRoot() ? " (running as root: PostgreSQL refuses root, the embedded server needs"
                    + " 'unshare -U' from util-linux and unprivileged user namespaces)" : ""), e);
        }
        PostgresEndpoint admin = new PostgresEndpoint("localhost", server.getPort(), "postgres", "postgres", "");
        String database = b.database != null ? b.database : "channelstream_" + purpose;
        // the whole server belongs to this caller: keep the database, stop the server on close
        return onServer(admin, purpose, database, Source.EMBEDDED, server::close);
    }

    static boolean isRoot() {
        try {
            Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            return uid instanceof Integer i && i == 0;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    static String sanitize(String purpose) {
        String s = purpose == null ? "test" : purpose.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        if (s.isEmpty()) {
            s = "test";
        }
        return s.length() > 30 ? s.substring(0, 30) : s;
    }

    static String quoteIdentifier(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }
}
