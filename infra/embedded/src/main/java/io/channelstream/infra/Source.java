package io.channelstream.infra;

/** Where a provided server came from, in the order the providers try them. */
public enum Source {
    /** An address given in the environment or a system property; nothing is started. */
    CONFIGURED,
    /** A container started through Testcontainers, only when a Docker engine answers. */
    TESTCONTAINERS,
    /** The service already running on this machine at its standard port. */
    LOCAL,
    /** A real server started by this library (in-process Kafka, PostgreSQL/Redis child processes). */
    EMBEDDED;

    static Source parse(String name, String setting) {
        try {
            return Source.valueOf(name.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(setting + "='" + name
                    + "' is not a source; use one of configured, testcontainers, local, embedded", e);
        }
    }
}
