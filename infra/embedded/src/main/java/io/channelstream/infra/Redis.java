package io.channelstream.infra;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.RedisServer;

/**
 * Hands out a Redis server, from the first source that works: {@code CHANNELSTREAM_REDIS_URL}
 * ({@code redis://host:port}); a {@code redis:7} container when a Docker engine answers; the local
 * server on 127.0.0.1:6379 ({@code CHANNELSTREAM_REDIS_LOCAL_PORT}) when it answers PING with PONG; otherwise an embedded redis-server
 * (codemonstur's bundled binary) on a free port with persistence off.
 * {@code CHANNELSTREAM_REDIS_SOURCE} (or {@code -Dchannelstream.redis.source}) forces one source.
 */
public final class Redis {

    private static final Logger log = LoggerFactory.getLogger(Redis.class);

    static final String LOCAL_HOST = "127.0.0.1";
    static final int DEFAULT_LOCAL_PORT = 6379;
    static final String DEFAULT_IMAGE = "redis:7";

    private Redis() {
    }

    public static ProvidedRedis provide() {
        return builder().provide();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Options; the defaults suit a test. */
    public static final class Builder {
        private Source source;
        private RedisEndpoint endpoint;
        private int embeddedPort;

        private Builder() {
        }

        /** Use only this source (fails with the reason when it cannot be used). */
        public Builder source(Source source) {
            this.source = source;
            return this;
        }

        /** An address to use as the configured source (wins over the environment). */
        public Builder endpoint(RedisEndpoint endpoint) {
            this.endpoint = endpoint;
            return this;
        }

        /** Fixed port for the embedded server; 0 (default) picks a free one. */
        public Builder embeddedPort(int port) {
            this.embeddedPort = port;
            return this;
        }

        public ProvidedRedis provide() {
            return Redis.provide(this);
        }
    }

    private static ProvidedRedis provide(Builder b) {
        Source forced = b.source != null ? b.source
                : Settings.get(Settings.REDIS_SOURCE).map(s -> Source.parse(s, Settings.REDIS_SOURCE)).orElse(null);
        List<String> skipped = new ArrayList<>();
        if (forced != null) {
            skipped.add("forced by " + (b.source != null ? "caller" : Settings.describe(Settings.REDIS_SOURCE))
                    + "=" + forced.name().toLowerCase(Locale.ROOT));
        }
        ProvidedRedis result = null;
        if (forced == null || forced == Source.CONFIGURED) {
            Optional<RedisEndpoint> configured = b.endpoint != null ? Optional.of(b.endpoint)
                    : Settings.get(Settings.REDIS_URL).map(RedisEndpoint::parse);
            if (configured.isPresent()) {
                result = new ProvidedRedis(configured.get(), Source.CONFIGURED, "", () -> { });
            } else {
                String why = "configured: " + Settings.REDIS_URL + " not set";
                failIfForced(forced, Source.CONFIGURED, why);
                skipped.add(why);
            }
        }
        if (result == null && (forced == null || forced == Source.TESTCONTAINERS)) {
            if (Docker.isAvailable() && Docker.testcontainersPresent()) {
                result = TestcontainersSupport.startRedis(Settings.get(Settings.REDIS_IMAGE).orElse(DEFAULT_IMAGE), "");
            } else {
                String why = "testcontainers: " + (Docker.isAvailable()
                        ? "Testcontainers not on the classpath" : "Docker engine not available (" + Docker.reason() + ")");
                failIfForced(forced, Source.TESTCONTAINERS, why);
                skipped.add(why);
            }
        }
        if (result == null && (forced == null || forced == Source.LOCAL)) {
            int localPort = Settings.port(Settings.REDIS_LOCAL_PORT, DEFAULT_LOCAL_PORT);
            String problem = pingProblem(LOCAL_HOST, localPort);
            if (problem == null) {
                result = new ProvidedRedis(new RedisEndpoint(LOCAL_HOST, localPort), Source.LOCAL, "", () -> { });
            } else {
                String why = "local: " + problem;
                failIfForced(forced, Source.LOCAL, why);
                skipped.add(why);
            }
        }
        if (result == null) {
            result = embedded(b.embeddedPort);
        }
        String description = "Redis: " + result.source() + " " + result.endpoint().host() + ":"
                + result.endpoint().port() + (skipped.isEmpty() ? "" : " (" + String.join("; ", skipped) + ")");
        log.info(description);
        return result.withDescription(description);
    }

    private static void failIfForced(Source forced, Source step, String why) {
        if (forced == step) {
            throw new IllegalStateException("Redis source " + step + " was forced but cannot be used: " + why);
        }
    }

    /** Null when {@code host:port} answers PING with +PONG; otherwise what went wrong. */
    public static String pingProblem(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 500);
            socket.setSoTimeout(2000);
            OutputStream out = socket.getOutputStream();
            out.write("*1\r\n$4\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String line = readLine(socket.getInputStream());
            return "+PONG".equals(line) ? null : host + ":" + port + " answered '" + line + "' to PING";
        } catch (IOException e) {
            return "no Redis answers PING on " + host + ":" + port + " (" + e.getMessage() + ")";
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            if (c != '\r') {
                sb.append((char) c);
            }
            if (sb.length() > 512) {
                break;
            }
        }
        return sb.toString();
    }

    private static ProvidedRedis embedded(int fixedPort) {
        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            int port = fixedPort > 0 ? fixedPort : freePort();
            try {
                RedisServer server = RedisServer.newRedisServer()
                        .bind(LOCAL_HOST)
                        .port(port)
                        .setting("save \"\"")
                        .setting("appendonly no")
                        .onShutdownForceStop(true)
                        .build();
                server.start();
                return new ProvidedRedis(new RedisEndpoint(LOCAL_HOST, port), Source.EMBEDDED, "", server::stop);
            } catch (IOException e) {
                last = e;
                if (fixedPort > 0) {
                    break;
                }
            }
        }
        throw new IllegalStateException("embedded Redis did not start: " + (last == null ? "" : last.getMessage()), last);
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }
}
