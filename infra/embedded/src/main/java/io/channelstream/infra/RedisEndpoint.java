package io.channelstream.infra;

import java.net.URI;
import java.util.Objects;

/** Where a Redis server answers; {@code password} is null when none is needed. */
public record RedisEndpoint(String host, int port, String password) {

    public RedisEndpoint {
        Objects.requireNonNull(host, "host");
        if (port <= 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 1..65535, was " + port);
        }
        if (password != null && password.isEmpty()) {
            password = null;
        }
    }

    public RedisEndpoint(String host, int port) {
        this(host, port, null);
    }

    /** {@code redis://[:password@]host:port}. */
    public String url() {
        String h = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        return "redis://" + (password == null ? "" : ":" + password + "@") + h + ":" + port;
    }

    /** Parses {@code redis://[user:]password@host:port} (port defaults to 6379). */
    public static RedisEndpoint parse(String url) {
        URI uri = URI.create(url.trim());
        if (!"redis".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("not a Redis URL (want redis://host:port): " + url);
        }
        String password = null;
        if (uri.getUserInfo() != null) {
            String info = uri.getUserInfo();
            int colon = info.indexOf(':');
            password = colon >= 0 ? info.substring(colon + 1) : info;
        }
        return new RedisEndpoint(uri.getHost(), uri.getPort() < 0 ? 6379 : uri.getPort(), password);
    }

    @Override
    public String toString() {
        return "RedisEndpoint[" + host + ":" + port + (password == null ? "" : ", password=***") + "]";
    }
}
