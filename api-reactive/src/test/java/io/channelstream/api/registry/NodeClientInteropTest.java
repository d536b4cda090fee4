package io.channelstream.api.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import io.channelstream.api.inventory.StockController;
import io.channelstream.api.inventory.StockLevelView;
import io.channelstream.api.support.ApiIntegrationTest;
import io.channelstream.schemas.Topics;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Wire compatibility with an independent client: kafkajs with {@code @kafkajs/confluent-schema-registry}
 * (the Node scripts in {@code interop/}), pointed at the registry endpoint this app serves. It writes a
 * movement our topology reads, and reads a movement our API wrote. Skipped, visibly, where {@code node}
 * or {@code interop/node_modules} is missing ({@code npm ci} in {@code interop/} provides the latter).
 */
class NodeClientInteropTest extends ApiIntegrationTest {

    private static final String REGISTRY_USER = "registry";
    private static final String REGISTRY_PASSWORD = "registry-secret";
    private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(60);

    @LocalServerPort
    int port;

    private Path node;
    private Path interop;

    @BeforeEach
    void nodeClientAvailable() {
        node = findOnPath("node").orElse(null);
        Assumptions.assumeTrue(node != null,
                "SKIPPED: node is not on PATH, so the Node interoperability client cannot run");
        interop = findInteropDir().orElse(null);
        Assumptions.assumeTrue(interop != null,
                "SKIPPED: no interop/package.json found above " + System.getProperty("user.dir"));
        Assumptions.assumeTrue(Files.isDirectory(interop.resolve("node_modules")),
                "SKIPPED: " + interop.resolve("node_modules") + " does not exist; run `npm ci` in " + interop);
        awaitInventoryRunning();
    }

    @Test
    void aMovementProducedByTheNodeClientIsReadByOurTopology() {
        String location = unique("DL-NODE");
        String sku = "SKU-INTEROP-NODE";
        putLocation(location, "440106", "D-INTEROP");

        Result produced = runScript("produce-movement.js",
                "--location", location,
                "--key", location,
                "--sku", sku,
                "--batch", "B2026-03",
                "--kind", "RECEIPT",
                "--quantity", "42",
                "--production-date", "2026-03-01",
                "--expiry-date", "2027-09-01",
                "--reference", "PO-INTEROP-1");
        JsonNode metadata = produced.json();
        assertThat(metadata.path("topic").asString()).as(produced.describe()).isEqualTo(Topics.STOCK_MOVEMENTS.name());
        assertThat(metadata.path("schemaId").asInt()).as(produced.describe()).isPositive();

        StockLevelView level = awaitStock(location, sku, 42);
        assertThat(level.onHand()).isEqualTo(42);
        // the date logical type, written by avsc as bare days in a ["null", int] union, read back as a LocalDate
        assertThat(level.batches()).singleElement().satisfies(batch -> {
            assertThat(batch.batch()).isEqualTo("B2026-03");
            assertThat(batch.expiryDate()).isEqualTo(LocalDate.parse("2027-09-01"));
        });
    }

    @Test
    void aMovementWePublishedIsDecodedByTheNodeClient() {
        String location = unique("DL-NODE");
        putLocation(location, "440106", "D-INTEROP");
        putProduct("SKU-INTEROP-JAVA");
        StockController.MovementAccepted accepted = web.post().uri("/api/stock-movements")
                .headers(h -> h.setBearerAuth(hqToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("""
                        {"locationId": "%s", "sku": "SKU-INTEROP-JAVA", "batch": "B2026-02", "kind": "RECEIPT",
                         "productionDate": "2026-02-01", "expiryDate": "2027-08-01", "quantity": 17}
                        """.formatted(location))
                .exchange()
                .expectStatus().isAccepted()
                .expectBody(StockController.MovementAccepted.class).returnResult().getResponseBody();
        assertThat(accepted).isNotNull();

        Result consumed = runScript("consume-movement.js", "--event-id", accepted.eventId(), "--timeout-ms", "30000");
        JsonNode record = consumed.json();

        String why = consumed.describe();
        assertThat(record.path("eventId").asString()).as(why).isEqualTo(accepted.eventId());
        assertThat(record.path("locationId").asString()).as(why).isEqualTo(location);
        assertThat(record.path("sku").asString()).as(why).isEqualTo("SKU-INTEROP-JAVA");
        assertThat(record.path("batch").asString()).as(why).isEqualTo("B2026-02");
        assertThat(record.path("kind").asString()).as(why).isEqualTo("RECEIPT");
        assertThat(record.path("quantity").asInt()).as(why).isEqualTo(17);
        // logical types arrive as their underlying Avro values: days since the epoch, epoch millis
        assertThat(record.path("expiryDate").asLong()).as(why).isEqualTo(LocalDate.parse("2027-08-01").toEpochDay());
        assertThat(record.path("occurredAt").asLong()).as(why).isPositive();
    }

    private StockLevelView awaitStock(String location, String sku, long onHand) {
        AtomicReference<StockLevelView> last = new AtomicReference<>();
        try {
            Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
                StockLevelView level = web.get().uri("/api/locations/{l}/stock/{s}", location, sku)
                        .headers(h -> h.setBearerAuth(hqToken()))
                        .exchange()
                        .returnResult(StockLevelView.class).getResponseBody().blockFirst();
                last.set(level);
                return level != null && level.onHand() == onHand;
            });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("onHand of " + sku + " at " + location + " never became " + onHand
                    + "; last answer: " + last.get(), e);
        }
        return last.get();
    }

    /** Runs one interop script with the connection to this app's broker and registry, expecting exit 0. */
    private Result runScript(String script, String... args) {
        List<String> command = new ArrayList<>(List.of(node.toString(), script,
                "--bootstrap", bootstrapServers(),
                "--registry", "http://localhost:" + port + "/schema-registry",
                "--registry-user", REGISTRY_USER,
                "--registry-password", REGISTRY_PASSWORD,
                "--topic", Topics.STOCK_MOVEMENTS.name()));
        command.addAll(List.of(args));
        try {
            Path stdout = Files.createTempFile("interop-" + script, ".out");
            Path stderr = Files.createTempFile("interop-" + script, ".err");
            try {
                Process process = new ProcessBuilder(command)
                        .directory(interop.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new File(nullDevice())))
                        .redirectOutput(stdout.toFile())
                        .redirectError(stderr.toFile())
                        .start();
                boolean exited = process.waitFor(SCRIPT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                if (!exited) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
                Result result = new Result(String.join(" ", command), exited ? process.exitValue() : -1,
                        Files.readString(stdout, StandardCharsets.UTF_8), Files.readString(stderr, StandardCharsets.UTF_8));
                if (!exited) {
                    fail(script + " did not finish within " + SCRIPT_TIMEOUT + "\n" + result.describe());
                }
                if (result.exitCode() != 0) {
                    fail(script + " failed\n" + result.describe());
                }
                return result;
            } finally {
                Files.deleteIfExists(stdout);
                Files.deleteIfExists(stderr);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        }
    }

    private static String nullDevice() {
        return System.getProperty("os.name").toLowerCase().contains("win") ? "NUL" : "/dev/null";
    }

    /** What a script did; {@link #json()} reads the one JSON line it prints last on stdout. */
    private record Result(String command, int exitCode, String stdout, String stderr) {

        private static final JsonMapper JSON = JsonMapper.builder().build();

        JsonNode json() {
            List<String> lines = stdout.lines().filter(line -> !line.isBlank()).toList();
            if (lines.isEmpty()) {
                fail("no JSON line on stdout\n" + describe());
            }
            try {
                return JSON.readTree(lines.get(lines.size() - 1));
            } catch (RuntimeException e) {
                throw new AssertionError("stdout's last line is not JSON\n" + describe(), e);
            }
        }

        String describe() {
            return "command: " + command + "\nexit code: " + exitCode + "\n--- stdout ---\n" + stdout
                    + "\n--- stderr ---\n" + stderr;
        }
    }

    private static Optional<Path> findOnPath(String executable) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        boolean windows = System.getProperty("os.name").toLowerCase().contains("win");
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isBlank()) {
                continue;
            }
            for (String name : windows ? List.of(executable + ".exe", executable + ".cmd") : List.of(executable)) {
                Path candidate = Path.of(dir, name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    /** The repository's {@code interop/} directory: walks up from the working directory (the module's). */
    private static Optional<Path> findInteropDir() {
        for (Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("interop");
            if (Files.isRegularFile(candidate.resolve("package.json"))) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
