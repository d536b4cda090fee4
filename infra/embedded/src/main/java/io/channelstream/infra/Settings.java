package io.channelstream.infra;

import java.util.Locale;
import java.util.Optional;

/**
 * Reads a setting by its environment-variable name. A system property wins over the environment and
 * may be spelled either exactly like the variable ({@code CHANNELSTREAM_POSTGRES_URL}) or in lower
 * case with dots ({@code channelstream.postgres.url}).
 */
public final class Settings {

    public static final String KAFKA_BOOTSTRAP_SERVERS = "CHANNELSTREAM_KAFKA_BOOTSTRAP_SERVERS";
    public static final String KAFKA_SOURCE = "CHANNELSTREAM_KAFKA_SOURCE";
    public static final String POSTGRES_URL = "CHANNELSTREAM_POSTGRES_URL";
    public static final String POSTGRES_USER = "CHANNELSTREAM_POSTGRES_USER";
    public static final String POSTGRES_PASSWORD = "CHANNELSTREAM_POSTGRES_PASSWORD";
    public static final String POSTGRES_SOURCE = "CHANNELSTREAM_POSTGRES_SOURCE";
    public static final String POSTGRES_IMAGE = "CHANNELSTREAM_POSTGRES_IMAGE";
    /** Port of the local PostgreSQL service tried in step 3 (default 5432, on 127.0.0.1). */
    public static final String POSTGRES_LOCAL_PORT = "CHANNELSTREAM_POSTGRES_LOCAL_PORT";
    public static final String REDIS_URL = "CHANNELSTREAM_REDIS_URL";
    public static final String REDIS_SOURCE = "CHANNELSTREAM_REDIS_SOURCE";
    public static final String REDIS_IMAGE = "CHANNELSTREAM_REDIS_IMAGE";
    /** Port of the local Redis service tried in step 3 (default 6379, on 127.0.0.1). */
    public static final String REDIS_LOCAL_PORT = "CHANNELSTREAM_REDIS_LOCAL_PORT";
    /** {@code false} makes Docker count as absent without probing it. */
    public static final String DOCKER = "CHANNELSTREAM_DOCKER";

    private Settings() {
    }

    /** The value of a setting, blank values counting as absent. */
    public static Optional<String> get(String envName) {
        String dotted = envName.toLowerCase(Locale.ROOT).replace('_', '.');
        for (String candidate : new String[] {
                System.getProperty(envName), System.getProperty(dotted), System.getenv(envName)}) {
            if (candidate != null && !candidate.isBlank()) {
                return Optional.of(candidate.trim());
            }
        }
        return Optional.empty();
    }

    static int port(String envName, int defaultPort) {
        String value = get(envName).orElse(null);
        if (value == null) {
            return defaultPort;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(envName + "='" + value + "' is not a port number", e);
        }
    }

    static String describe(String envName) {
        return envName + " (or -D" + envName.toLowerCase(Locale.ROOT).replace('_', '.') + ")";
    }
}
