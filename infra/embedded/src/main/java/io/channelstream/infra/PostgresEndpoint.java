package io.channelstream.infra;

import java.net.URI;
import java.util.Objects;
import java.util.Properties;

/**
 * Where a PostgreSQL database answers. {@code password} may be empty (trust authentication), never
 * null.
 */
public record PostgresEndpoint(String host, int port, String database, String user, String password) {

    public PostgresEndpoint {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(user, "user");
        password = password == null ? "" : password;
        if (port <= 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 1..65535, was " + port);
        }
    }

    /** {@code jdbc:postgresql://host:port/database}. */
    public String jdbcUrl() {
        return "jdbc:postgresql://" + hostForUrl() + ":" + port + "/" + database;
    }

    /** {@code r2dbc:postgresql://host:port/database}. */
    public String r2dbcUrl() {
        return "r2dbc:postgresql://" + hostForUrl() + ":" + port + "/" + database;
    }

    /** The same server, another database. */
    public PostgresEndpoint withDatabase(String otherDatabase) {
        return new PostgresEndpoint(host, port, otherDatabase, user, password);
    }

    /** User and password as JDBC connection properties. */
    public Properties jdbcProperties() {
        Properties p = new Properties();
        p.setProperty("user", user);
        if (!password.isEmpty()) {
            p.setProperty("password", password);
        }
        return p;
    }

    /**
     * Parses {@code jdbc:postgresql://host[:port]/database[?…]} (also accepted without the
     * {@code jdbc:} prefix, and as {@code postgres://}). User and password inside a
     * {@code postgresql://user:password@host} URL are used when the arguments are null.
     */
    public static PostgresEndpoint parse(String url, String user, String password) {
        String s = url.trim();
        if (s.startsWith("jdbc:")) {
            s = s.substring("jdbc:".length());
        }
        if (s.startsWith("postgres://")) {
            s = "postgresql://" + s.substring("postgres://".length());
        }
        if (!s.startsWith("postgresql://")) {
            throw new IllegalArgumentException("not a PostgreSQL URL (want jdbc:postgresql://host:port/db): " + url);
        }
        URI uri = URI.create(s);
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("PostgreSQL URL has no host: " + url);
        }
        String path = uri.getPath() == null ? "" : uri.getPath();
        String database = path.startsWith("/") ? path.substring(1) : path;
        if (database.isEmpty()) {
            throw new IllegalArgumentException("PostgreSQL URL names no database: " + url);
        }
        String u = user;
        String p = password;
        if (uri.getUserInfo() != null) {
            String[] parts = uri.getUserInfo().split(":", 2);
            if (u == null) {
                u = parts[0];
            }
            if (p == null && parts.length > 1) {
                p = parts[1];
            }
        }
        return new PostgresEndpoint(uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(), database,
                u == null ? "postgres" : u, p);
    }

    private String hostForUrl() {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    @Override
    public String toString() {
        return "PostgresEndpoint[" + jdbcUrl() + ", user=" + user + (password.isEmpty() ? "" : ", password=***") + "]";
    }
}
