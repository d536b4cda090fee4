package io.channelstream.infra;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * Whether a Docker engine answers, decided once per JVM. It first looks for an address cheaply
 * (DOCKER_HOST, Testcontainers' own settings file, the usual socket paths) and connects to it; only
 * when something answers does it ask Testcontainers, so a machine without Docker costs a few
 * milliseconds and no error-level log lines.
 */
public final class Docker {

    private static volatile Availability cached;

    private Docker() {
    }

    /** True when a Docker engine answers (and Testcontainers, when present, agrees). */
    public static boolean isAvailable() {
        return availability().available();
    }

    /** Why Docker counts as available or not, for log lines and skip messages. */
    public static String reason() {
        return availability().reason();
    }

    static Availability availability() {
        Availability result = cached;
        if (result == null) {
            synchronized (Docker.class) {
                result = cached;
                if (result == null) {
                    result = probe();
                    cached = result;
                }
            }
        }
        return result;
    }

    record Availability(boolean available, String reason) {
    }

    private static Availability probe() {
        Optional<String> switchOff = Settings.get(Settings.DOCKER);
        if (switchOff.isPresent() && switchOff.get().equalsIgnoreCase("false")) {
            return new Availability(false, "disabled by " + Settings.DOCKER + "=false");
        }
        Optional<String> host = dockerHost();
        String answered;
        if (host.isPresent()) {
            String h = host.get();
            if (h.startsWith("unix://")) {
                Path socket = Path.of(h.substring("unix://".length()));
                if (!connectsUnix(socket)) {
                    return new Availability(false, "Docker socket " + socket + " (from DOCKER_HOST) does not answer");
                }
            } else if (h.startsWith("tcp://")) {
                URI uri = URI.create(h);
                if (!connectsTcp(uri.getHost(), uri.getPort() < 0 ? 2375 : uri.getPort())) {
                    return new Availability(false, "Docker host " + h + " does not answer");
                }
            }
            answered = h;
        } else {
            List<Path> candidates = socketCandidates();
            Path found = null;
            for (Path candidate : candidates) {
                if (Files.exists(candidate)) {
                    found = candidate;
                    break;
                }
            }
            if (found == null) {
                return new Availability(false, "no DOCKER_HOST, no Docker socket at " + candidates.get(0)
                        + " or " + (candidates.size() - 1) + " other usual paths");
            }
            if (!connectsUnix(found)) {
                return new Availability(false, "Docker socket " + found + " exists but no engine answers");
            }
            answered = "unix://" + found;
        }
        if (!testcontainersPresent()) {
            return new Availability(true, "engine answers at " + answered + " (Testcontainers not on the classpath)");
        }
        try {
            boolean ok = TestcontainersSupport.dockerAvailable();
            return new Availability(ok, ok ? "engine answers at " + answered
                    : "engine at " + answered + " answers but Testcontainers cannot use it");
        } catch (Throwable t) {
            return new Availability(false, "Testcontainers could not reach the engine at " + answered + ": " + t);
        }
    }

    static boolean testcontainersPresent() {
        try {
            Class.forName("org.testcontainers.DockerClientFactory", false, Docker.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    private static Optional<String> dockerHost() {
        String env = System.getenv("DOCKER_HOST");
        if (env != null && !env.isBlank()) {
            return Optional.of(env.trim());
        }
        Path tcProperties = Path.of(System.getProperty("user.home", "/"), ".testcontainers.properties");
        if (Files.isReadable(tcProperties)) {
            Properties p = new Properties();
            try (InputStream in = Files.newInputStream(tcProperties)) {
                p.load(in);
                String h = p.getProperty("docker.host");
                if (h != null && !h.isBlank()) {
                    return Optional.of(h.trim());
                }
            } catch (IOException ignored) {
                // unreadable settings: fall through to the socket paths
            }
        }
        return Optional.empty();
    }

    private static List<Path> socketCandidates() {
        List<Path> paths = new ArrayList<>();
        paths.add(Path.of("/var/run/docker.sock"));
        String home = System.getProperty("user.home");
        if (home != null) {
            paths.add(Path.of(home, ".docker", "run", "docker.sock"));
            paths.add(Path.of(home, ".docker", "desktop", "docker.sock"));
            paths.add(Path.of(home, ".colima", "default", "docker.sock"));
            paths.add(Path.of(home, ".rd", "docker.sock"));
        }
        String runtimeDir = System.getenv("XDG_RUNTIME_DIR");
        if (runtimeDir != null && !runtimeDir.isBlank()) {
            paths.add(Path.of(runtimeDir, "docker.sock"));
            paths.add(Path.of(runtimeDir, "podman", "podman.sock"));
        }
        return paths;
    }

    private static boolean connectsUnix(Path socket) {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    static boolean connectsTcp(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
