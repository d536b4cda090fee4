package io.channelstream.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.channelstream.events.StockMovementRecorded;
import io.channelstream.schemas.EventSerdes;
import io.channelstream.schemas.RestSchemaRegistryClient;
import io.channelstream.schemas.Topics;
import io.channelstream.simulator.World;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The application as a user meets it, in its own JVM (-Xmx1g) with its own co-located broker: single-key stock
 * reads next to a constant JSON answer of the same app (same security and web stack, no query), the reactive
 * publish path next to a plain KafkaProducer loop inside the app, and the app's heap after a full GC.
 */
final class ApiScenario implements Scenario {

    static final int READ_SKUS = 50;
    static final int CONNECTIONS = 16;
    private static final Duration WARM_UP = Duration.ofSeconds(10);
    static final int PUBLISH_EVENTS = 100_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String name() {
        return "API (separate JVM, -Xmx1g)";
    }

    @Override
    public List<Row> run(BenchContext ctx) throws Exception {
        long started = System.nanoTime();
        try (AppProcess app = AppProcess.start(ctx.appJar(), ctx.workDir(), "1g")) {
            app.awaitReady(Duration.ofMinutes(3));
            System.out.printf(Locale.ROOT, "  app ready in %.0f s%n", (System.nanoTime() - started) / 1e9);
            String token = app.hqToken();
            HttpClient http = HttpClient.newHttpClient();
            List<World.Site> sites = InventoryScenario.seedScaleSites(ctx.world());
            List<String> skus = ctx.world().products().stream().limit(READ_SKUS).map(World.Product::sku).toList();
            // the publish topic is created and its producers warmed well before any timed publish: right after
            // a topic is created the co-located broker answers NOT_LEADER_OR_FOLLOWER for a moment
            boolean skipPublish = Boolean.getBoolean("bench.skipPublish"); // a debugging aid: read rows only
            if (!skipPublish) {
                warmUpPublish(http, app, token);
            }
            recordLocations(http, app, token, sites);
            List<URI> reads = stockFor(ctx, app, sites, skus);
            awaitQueryable(http, token, reads);
            // reads are measured on a settled store: with Kafka Streams 4.2.1 an IQv2 read racing a write can
            // deadlock the stream thread and the reading thread (KAFKA-19629; see docs/benchmarks.md)
            awaitInventoryCaughtUp(app.kafkaBootstrap(), "channelstream-inventory");
            // the receipts raise alerts, which the app then files in its inbox (PostgreSQL) and outbox: reads are
            // measured once that has settled, not against it
            awaitQuiet(app);

            List<NioHttpLoad.Result> stock = new ArrayList<>();
            List<NioHttpLoad.Result> constant = new ArrayList<>();
            List<URI> constantUri = List.of(app.uri("/api/bench/constant"));
            System.out.println("  load generator: " + generatorName());
            // once, untimed: the app's JIT compiles the read path before the first measured repetition
            load(reads, token, app, WARM_UP);
            load(constantUri, token, app, WARM_UP);
            for (int rep = 1; rep <= ctx.repetitions(); rep++) {
                stock.add(load(reads, token, app, ctx.readDuration()));
                constant.add(load(constantUri, token, app, ctx.readDuration()));
                System.out.printf(Locale.ROOT, "  rep %d: stock read %,.0f req/s (p50 %.2f ms, p99 %.2f ms, %d failed; "
                                + "app CPU %.0f µs/request, generator %.0f µs), constant %,.0f req/s (p50 %.2f ms, "
                                + "p99 %.2f ms; app CPU %.0f µs/request)%n", rep, stock.get(rep - 1).requestsPerSecond(),
                        stock.get(rep - 1).p50Millis(), stock.get(rep - 1).p99Millis(), stock.get(rep - 1).failures(),
                        stock.get(rep - 1).serverCpuMicros(), stock.get(rep - 1).clientCpuMicros(),
                        constant.get(rep - 1).requestsPerSecond(), constant.get(rep - 1).p50Millis(),
                        constant.get(rep - 1).p99Millis(), constant.get(rep - 1).serverCpuMicros());
            }
            List<Row> rows = new ArrayList<>();
            NioHttpLoad.Result s = medianByRate(stock);
            NioHttpLoad.Result c = medianByRate(constant);
            rows.add(new Row("GET /api/locations/{id}/stock/{sku}, " + connections() + " connections, "
                    + reads.size() + " keys",
                    String.format(Locale.ROOT, "%,.0f req/s, p50 %.2f ms, p99 %.2f ms (median of %d by rate); "
                            + "app CPU %.0f µs/request", s.requestsPerSecond(), s.p50Millis(), s.p99Millis(),
                            stock.size(), s.serverCpuMicros()),
                    String.format(Locale.ROOT, "GET /api/bench/constant: %,.0f req/s, p50 %.2f ms, p99 %.2f ms; "
                            + "app CPU %.0f µs/request", c.requestsPerSecond(), c.p50Millis(), c.p99Millis(),
                            c.serverCpuMicros()),
                    s.requestsPerSecond() / c.requestsPerSecond(),
                    generatorName() + " in the harness JVM (" + String.format(Locale.ROOT, "%.0f", s.clientCpuMicros())
                            + " µs CPU/request), same 2 cores; app CPU = all of the app's JVM (its broker included)"));
            List<Double> reactive = new ArrayList<>();
            List<Double> plain = new ArrayList<>();
            try {
                for (int rep = 1; rep <= ctx.repetitions() && !skipPublish; rep++) {
                    reactive.add(publish(http, app, token, "reactive", PUBLISH_EVENTS));
                    plain.add(publish(http, app, token, "plain", PUBLISH_EVENTS));
                    System.out.printf(Locale.ROOT, "  rep %d: EventPublisher %,.0f events/s, KafkaProducer loop "
                            + "%,.0f events/s%n", rep, reactive.get(rep - 1), plain.get(rep - 1));
                }
            } catch (Exception e) {
                System.out.println("  publish not measured: " + e.getMessage());
                rows.add(new Row("publish through EventPublisher vs a plain KafkaProducer loop", "not measured",
                        "—", Double.NaN, e.getMessage().replace('|', '/')));
            }
            JsonNode heap = JSON.readTree(send(http, HttpRequest.newBuilder(app.uri("/api/bench/heap"))
                    .header("Authorization", "Bearer " + token).GET().build()));
            double r = Stats.median(reactive);
            double p = Stats.median(plain);
            if (!reactive.isEmpty()) rows.add(new Row("publish " + PUBLISH_EVENTS + " stock events through EventPublisher (Reactor Kafka), "
                    + "1,024 in flight",
                    String.format(Locale.ROOT, "%,.0f events/s (median of %d)", r, reactive.size()),
                    String.format(Locale.ROOT, "plain KafkaProducer send loop, same settings: %,.0f events/s", p),
                    r / p, "both inside the app, acks=all, idempotent, linger 2 ms"));
            double usedMb = heap.get("usedBytes").asLong() / 1048576.0;
            double maxMb = heap.get("maxBytes").asLong() / 1048576.0;
            rows.add(new Row("app heap used after the run (after a full GC)",
                    String.format(Locale.ROOT, "%.0f MiB", usedMb),
                    String.format(Locale.ROOT, "max heap -Xmx: %.0f MiB", maxMb), usedMb / maxMb,
                    "the app's own broker, PostgreSQL and Redis run in it or beside it"));
            return rows;
        }
    }

    /** Connections of the read load; {@code -Dbench.httpConnections=N} changes it. */
    static int connections() {
        return Integer.getInteger("bench.httpConnections", CONNECTIONS);
    }

    /** {@code -Dbench.loadGenerator=jdk} measures with the JDK HttpClient (the earlier, heavier generator). */
    private static boolean jdkClient() {
        return "jdk".equals(System.getProperty("bench.loadGenerator"));
    }

    private static String generatorName() {
        return jdkClient() ? "JDK HttpClient load generator (HttpLoad)"
                : "NIO keep-alive load generator (NioHttpLoad, 1 thread, closed loop)";
    }

    private static NioHttpLoad.Result load(List<URI> targets, String token, AppProcess app, Duration measure)
            throws Exception {
        if (jdkClient()) {
            HttpLoad.Result r = HttpLoad.run(targets, token, connections(), Duration.ofSeconds(3), measure, 5_000_000);
            return new NioHttpLoad.Result(r.requestsPerSecond(), r.p50Millis(), r.p99Millis(), r.requests(),
                    r.failures(), Double.NaN, Double.NaN);
        }
        return NioHttpLoad.run(targets, token, connections(), Duration.ofSeconds(3), measure, app::cpuNanos);
    }

    private static NioHttpLoad.Result medianByRate(List<NioHttpLoad.Result> results) {
        List<NioHttpLoad.Result> sorted = new ArrayList<>(results);
        sorted.sort((a, b) -> Double.compare(a.requestsPerSecond(), b.requestsPerSecond()));
        return sorted.get(sorted.size() / 2);
    }

    private static void recordLocations(HttpClient http, AppProcess app, String token, List<World.Site> sites)
            throws Exception {
        Semaphore inFlight = new Semaphore(8);
        List<CompletableFuture<HttpResponse<String>>> puts = new ArrayList<>();
        for (World.Site site : sites) {
            String body = JSON.writeValueAsString(java.util.Map.of("name", site.name(), "kind", site.kind().name(),
                    "regionCode", site.regionCode(), "latitude", site.latitude(), "longitude", site.longitude(),
                    "safetyStockUnits", site.safetyStockUnits()));
            inFlight.acquire();
            puts.add(http.sendAsync(HttpRequest.newBuilder(app.uri("/api/master/locations/" + site.locationId()))
                            .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                            .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString())
                    .whenComplete((r, e) -> inFlight.release()));
        }
        for (CompletableFuture<HttpResponse<String>> put : puts) {
            HttpResponse<String> response = put.get();
            if (response.statusCode() != 200) {
                throw new IllegalStateException("PUT location answered " + response.statusCode() + ": " + response.body());
            }
        }
    }

    /** One receipt per location × SKU, straight onto the app's broker (wire format, the app's registry). */
    private static List<URI> stockFor(BenchContext ctx, AppProcess app, List<World.Site> sites, List<String> skus) {
        EventSerdes serdes = new EventSerdes(new RestSchemaRegistryClient(URI.create(app.registryUrl()), "registry",
                "registry-secret"), true); // registers, or finds, the same schema the app registered
        Serializer<StockMovementRecorded> serializer = serdes.value(Topics.STOCK_MOVEMENTS).serializer();
        List<URI> reads = new ArrayList<>();
        int n = 0;
        try (KafkaProducer<String, byte[]> producer = InventoryScenario.producer(app.kafkaBootstrap())) {
            for (World.Site site : sites) {
                for (String sku : skus) {
                    StockMovementRecorded movement = InventoryScenario.movement("api" + (n++), site.locationId(), sku,
                            "B1", 100, Instant.now());
                    producer.send(new ProducerRecord<>(Topics.STOCK_MOVEMENTS.name(), site.locationId(),
                            serializer.serialize(Topics.STOCK_MOVEMENTS.name(), movement)));
                    reads.add(app.uri("/api/locations/" + site.locationId() + "/stock/" + sku));
                }
            }
            producer.flush();
        }
        java.util.Collections.shuffle(reads, new java.util.Random(ctx.seed()));
        return reads;
    }

    private static void awaitQueryable(HttpClient http, String token, List<URI> reads) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        for (URI uri : List.of(reads.get(0), reads.get(reads.size() / 2), reads.get(reads.size() - 1))) {
            while (true) {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri)
                        .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200 && response.body().contains("\"onHand\":100")) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(uri + " not queryable: " + response.statusCode() + " "
                            + response.body());
                }
                Thread.sleep(250);
            }
        }
    }

    /**
     * Waits (at most 2 minutes) until the app uses less than a fifth of a core over 2 s, and prints how busy it still
     * is: the app's CPU per request below includes whatever it does besides answering.
     */
    private static void awaitQuiet(AppProcess app) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        long started = System.nanoTime();
        double cores = Double.NaN;
        while (System.nanoTime() < deadline) {
            long before = app.cpuNanos();
            long at = System.nanoTime();
            Thread.sleep(2000);
            cores = (app.cpuNanos() - before) / (double) (System.nanoTime() - at);
            if (cores < 0.2) {
                break;
            }
        }
        System.out.printf(Locale.ROOT, "  app idle after %.0f s: %.2f cores busy without requests%n",
                (System.nanoTime() - started) / 1e9, cores);
    }

    /** Waits until the app's inventory topology has committed every stock movement (bounded: 2 minutes). */
    private static void awaitInventoryCaughtUp(String bootstrap, String groupId) throws Exception {
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(java.util.Map.of(
                org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (System.nanoTime() < deadline) {
                var committed = admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get();
                var partitions = committed.keySet().stream()
                        .filter(tp -> tp.topic().equals(Topics.STOCK_MOVEMENTS.name())).toList();
                if (!partitions.isEmpty()) {
                    var latest = admin.listOffsets(partitions.stream().collect(java.util.stream.Collectors.toMap(
                            tp -> tp, tp -> org.apache.kafka.clients.admin.OffsetSpec.latest()))).all().get();
                    boolean caughtUp = partitions.stream().allMatch(tp -> committed.get(tp) != null
                            && committed.get(tp).offset() >= latest.get(tp).offset());
                    if (caughtUp) {
                        return;
                    }
                }
                Thread.sleep(500);
            }
            throw new IllegalStateException("the app's inventory topology did not catch up within 2 minutes");
        }
    }

    private static void warmUpPublish(HttpClient http, AppProcess app, String token) throws InterruptedException {
        for (String path : List.of("reactive", "plain")) {
            for (int attempt = 1; attempt <= 5; attempt++) {
                try {
                    publish(http, app, token, path, 5_000);
                    break;
                } catch (Exception e) {
                    System.out.println("  warm-up publish (" + path + ") attempt " + attempt + " failed: "
                            + e.getMessage());
                    Thread.sleep(3000);
                }
            }
        }
    }

    private static double publish(HttpClient http, AppProcess app, String token, String path, int events)
            throws Exception {
        String body = send(http, HttpRequest.newBuilder(app.uri("/api/bench/publish?path=" + path + "&events="
                        + events)).header("Authorization", "Bearer " + token)
                .timeout(Duration.ofMinutes(3)).POST(HttpRequest.BodyPublishers.noBody()).build());
        return JSON.readTree(body).get("eventsPerSecond").asDouble();
    }

    private static String send(HttpClient http, HttpRequest request) throws Exception {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(request.uri() + " answered " + response.statusCode() + ": "
                    + response.body());
        }
        return response.body();
    }
}
