package io.channelstream.infra;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A Redis server handed out by {@link Redis}. A local or configured server is shared with whoever
 * else uses it, so tests should put {@link #keyPrefix()} in front of their keys.
 */
public final class ProvidedRedis implements AutoCloseable {

    private final RedisEndpoint endpoint;
    private final Source source;
    private final String description;
    private final ProvidedPostgres.Cleanup cleanup;
    private final String keyPrefix;
    private final AtomicBoolean closed = new AtomicBoolean();

    ProvidedRedis(RedisEndpoint endpoint, Source source, String description, ProvidedPostgres.Cleanup cleanup) {
        this(endpoint, source, description, cleanup,
                "cs-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 32) + ":");
    }

    private ProvidedRedis(RedisEndpoint endpoint, Source source, String description,
                          ProvidedPostgres.Cleanup cleanup, String keyPrefix) {
        this.endpoint = endpoint;
        this.source = source;
        this.description = description;
        this.cleanup = cleanup;
        this.keyPrefix = keyPrefix;
    }

    public RedisEndpoint endpoint() {
        return endpoint;
    }

    public Source source() {
        return source;
    }

    /** The log line: the source chosen and why the earlier ones were skipped. */
    public String description() {
        return description;
    }

    /** A prefix unique to this provider call ({@code cs-<hex>:}), for keys of parallel test runs. */
    public String keyPrefix() {
        return keyPrefix;
    }

    ProvidedRedis withDescription(String newDescription) {
        return new ProvidedRedis(endpoint, source, newDescription, cleanup, keyPrefix);
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            try {
                cleanup.run();
            } catch (Exception e) {
                throw new IllegalStateException("could not release Redis " + endpoint + ": " + e.getMessage(), e);
            }
        }
    }

    @Override
    public String toString() {
        return "ProvidedRedis[" + source + " " + endpoint + "]";
    }
}
