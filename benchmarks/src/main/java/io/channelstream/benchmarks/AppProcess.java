package io.channelstream.benchmarks;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The application under test as its own JVM (java -jar api-reactive.jar) in local mode: it starts its own
 * embedded KRaft broker, PostgreSQL and Redis (on this machine, loopback only) with its data in a scratch
 * directory, runs the inventory topology, and serves the bench-only endpoints. Live traffic is off.
 */
final class AppProcess implements AutoCloseable {

    private final Process process;
    private final int port;
    private final int kafkaPort;
    private final Path dataDir;
    private final Path log;

    private AppProcess(Process process, int port, int kafkaPort, Path dataDir, Path log) {
        this.process = process;
        this.port = port;
        this.kafkaPort = kafkaPort;
        this.dataDir = dataDir;
        this.log = log;
    }

    static AppProcess start(Path jar, Path workDir, String maxHeap) throws IOException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build it first with "
                    + "mvn -q -pl api-reactive,benchmarks -am package -DskipTests");
        }
        int port = freePort();
        int kafkaPort = freePort();
        Path dataDir = workDir.resolve("app-data");
        Path log = workDir.resolve("app.log");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + maxHeap));
        // e.g. -Dbench.appJvmArgs=-XX:StartFlightRecording=filename=/tmp/app.jfr,settings=profile to profile the app
        String extra = System.getProperty("bench.appJvmArgs", "");
        if (!extra.isBlank()) {
            command.addAll(List.of(extra.trim().split("\\s+")));
        }
        command.addAll(List.of("-jar", jar.toAbsolutePath().toString(),
                "--server.port=" + port,
                "--server.address=127.0.0.1",
                "--channelstream.local.kafka-port=" + kafkaPort,
                "--channelstream.local.data-dir=" + dataDir,
                "--channelstream.local.live-traffic-per-second=0",
                "--channelstream.streams.state-dir=" + workDir.resolve("app-state"),
                "--channelstream.streams.topologies=inventory",
                "--channelstream.bench.enabled=true",
                "--logging.level.root=WARN",
                "--logging.level.io.channelstream=WARN"));
        Process process = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new AppProcess(process, port, kafkaPort, dataDir, log);
    }

    /** Waits until /actuator/health answers UP; fails with the tail of the app's log otherwise. */
    void awaitReady(Duration timeout) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the app exited with " + process.exitValue() + ":\n" + tail());
            }
            try {
                HttpResponse<String> health = http.send(HttpRequest.newBuilder(uri("/actuator/health"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                if (health.statusCode() == 200 && health.body().contains("\"UP\"")
                        && Files.exists(dataDir.resolve("tokens.env"))) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(1000);
        }
        throw new IllegalStateException("the app was not ready within " + timeout + ":\n" + tail());
    }

    /** The HQ token local mode wrote to tokens.env. */
    String hqToken() throws IOException {
        return Files.readAllLines(dataDir.resolve("tokens.env")).stream()
                .filter(line -> line.startsWith("TOKEN_HQ=")).map(line -> line.substring("TOKEN_HQ=".length()))
                .findFirst().orElseThrow(() -> new IllegalStateException("no TOKEN_HQ in tokens.env"));
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** CPU time the app's process has used so far, every thread (for CPU per request), or -1 if not known. */
    long cpuNanos() {
        return process.info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(-1L);
    }

    String kafkaBootstrap() {
        return "localhost:" + kafkaPort;
    }

    String registryUrl() {
        return "http://127.0.0.1:" + port + "/schema-registry";
    }

    private String tail() throws IOException {
        List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
