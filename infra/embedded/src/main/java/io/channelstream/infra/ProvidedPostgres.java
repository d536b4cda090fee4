package io.channelstream.infra;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A PostgreSQL database handed out by {@link Postgres}: its address, where it came from and why.
 * {@link #close()} undoes what the provider did: stops a container or embedded server it started,
 * drops a database it created for a test; it never touches a configured server.
 */
public final class ProvidedPostgres implements AutoCloseable {

    /** Something to run on close; may throw. */
    @FunctionalInterface
    interface Cleanup {
        void run() throws Exception;
    }

    private final PostgresEndpoint endpoint;
    private final Source source;
    private final String description;
    private final Cleanup cleanup;
    private final AtomicBoolean closed = new AtomicBoolean();

    ProvidedPostgres(PostgresEndpoint endpoint, Source source, String description, Cleanup cleanup) {
        this.endpoint = endpoint;
        this.source = source;
        this.description = description;
        this.cleanup = cleanup;
    }

    public PostgresEndpoint endpoint() {
        return endpoint;
    }

    public Source source() {
        return source;
    }

    /** The log line: the source chosen and why the earlier ones were skipped. */
    public String description() {
        return description;
    }

    /** A new JDBC connection to the database (the caller closes it). */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(endpoint.jdbcUrl(), endpoint.jdbcProperties());
    }

    ProvidedPostgres withDescription(String newDescription) {
        return new ProvidedPostgres(endpoint, source, newDescription, cleanup);
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            try {
                cleanup.run();
            } catch (Exception e) {
                throw new IllegalStateException("could not release PostgreSQL " + endpoint + ": " + e.getMessage(), e);
            }
        }
    }

    @Override
    public String toString() {
        return "ProvidedPostgres[" + source + " " + endpoint + "]";
    }
}
