package io.channelstream.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.channelstream.events.MovementKind;
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
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Transfer suggestions at seed scale, as a user meets them: the app in its own JVM holds every location of the
 * seed world (1,228) with stock of every SKU (520; two batches and a sale history for the SKUs asked about), and
 * {@code GET /api/locations/{id}/transfer-suggestions/{sku}} is measured next to the plain network view of the same
 * SKUs ({@code GET /api/network/stock/{sku}}), which gathers the same partitions. Latency per request (p50, p99) at
 * a low concurrency, and the app process's CPU time per request, which moves less with other load.
 *
 * <pre>
 * mvn -q -pl api-reactive,benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar --only transfers --no-doc
 * </pre>
 */
final class TransferSuggestionScenario implements Scenario {

    static final int MEASURED_SKUS = 20;
    static final int DESTINATIONS = 60;
    static final int CONNECTIONS = 2;
    static final int NEED = 500;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String name() {
        return "transfer suggestions (separate JVM, -Xmx1g, seed scale)";
    }

    @Override
    public List<Row> run(BenchContext ctx) throws Exception {
        long started = System.nanoTime();
        try (AppProcess app = AppProcess.start(ctx.appJar(), ctx.workDir(), "1g")) {
            app.awaitReady(Duration.ofMinutes(3));
            System.out.printf(Locale.ROOT, "  app ready in %.0f s%n", (System.nanoTime() - started) / 1e9);
            String token = app.hqToken();
            HttpClient http = HttpClient.newHttpClient();
            List<World.Site> sites = ctx.world().sites();
            List<World.Product> products = ctx.world().products();
            List<World.Product> measured = products.subList(0, MEASURED_SKUS);
            put(http, app, token, sites, measured);
            long seeded = System.nanoTime();
            long events = stock(ctx, app, sites, products, measured);
            Optional<ProcessHandle> appProcess = appProcess();
            awaitCaughtUp(app.kafkaBootstrap());
            System.out.printf(Locale.ROOT, "  %,d stock events (%d locations x %d SKUs) applied in %.0f s%n", events,
                    sites.size(), products.size(), (System.nanoTime() - seeded) / 1e9);

            Random random = new Random(ctx.seed());
            List<World.Site> destinations = new ArrayList<>(sites);
            Collections.shuffle(destinations, random);
            destinations = destinations.subList(0, DESTINATIONS);
            List<URI> suggestions = new ArrayList<>();
            List<URI> network = new ArrayList<>();
            for (World.Site destination : destinations) {
                for (World.Product product : measured) {
                    // a need larger than any one source spares, so every source within the radius is ranked
                    suggestions.add(app.uri("/api/locations/" + destination.locationId() + "/transfer-suggestions/"
                            + product.sku() + "?quantity=" + NEED));
                    network.add(app.uri("/api/network/stock/" + product.sku()));
                }
            }
            Collections.shuffle(suggestions, random);
            Collections.shuffle(network, random);
            JsonNode sample = JSON.readTree(get(http, suggestions.get(0), token));
            System.out.printf(Locale.ROOT, "  a suggestion: %d sources within %s km, %d ranked, need %d%n",
                    sample.get("candidatesConsidered").asInt(), sample.get("radiusKm").asText(),
                    sample.get("candidates").size(), sample.get("needed").asLong());

            List<Measured> suggest = new ArrayList<>();
            List<Measured> view = new ArrayList<>();
            for (int rep = 1; rep <= ctx.repetitions(); rep++) {
                suggest.add(measure(suggestions, token, ctx, appProcess));
                view.add(measure(network, token, ctx, appProcess));
                System.out.printf(Locale.ROOT, "  rep %d: suggestions p50 %.1f ms p99 %.1f ms (%.0f req/s, %.2f ms CPU/req, "
                                + "%d failed); network view p50 %.1f ms p99 %.1f ms (%.0f req/s, %.2f ms CPU/req)%n", rep,
                        suggest.get(rep - 1).load.p50Millis(), suggest.get(rep - 1).load.p99Millis(),
                        suggest.get(rep - 1).load.requestsPerSecond(), suggest.get(rep - 1).cpuMillisPerRequest,
                        suggest.get(rep - 1).load.failures(), view.get(rep - 1).load.p50Millis(),
                        view.get(rep - 1).load.p99Millis(), view.get(rep - 1).load.requestsPerSecond(),
                        view.get(rep - 1).cpuMillisPerRequest);
                suggest.get(rep - 1).load.failureReasons().forEach((reason, count) ->
                        System.out.printf(Locale.ROOT, "    suggestion failed %,d x: %s%n", count, reason));
                view.get(rep - 1).load.failureReasons().forEach((reason, count) ->
                        System.out.printf(Locale.ROOT, "    network view failed %,d x: %s%n", count, reason));
            }
            Measured s = medianByP99(suggest);
            Measured v = medianByP99(view);
            return List.of(new Row("GET /api/locations/{id}/transfer-suggestions/{sku}, " + sites.size()
                    + " locations x " + products.size() + " SKUs, " + CONNECTIONS + " connections, "
                    + suggestions.size() + " (location, SKU) pairs",
                    String.format(Locale.ROOT, "p50 %.1f ms, p99 %.1f ms, %.0f req/s, app CPU %.2f ms/request "
                                    + "(idle subtracted; median of %d by p99)", s.load.p50Millis(), s.load.p99Millis(),
                            s.load.requestsPerSecond(), s.cpuMillisPerRequest, suggest.size()),
                    String.format(Locale.ROOT, "GET /api/network/stock/{sku} (same SKUs): p50 %.1f ms, p99 %.1f ms, "
                                    + "%.0f req/s, app CPU %.2f ms/request", v.load.p50Millis(), v.load.p99Millis(),
                            v.load.requestsPerSecond(), v.cpuMillisPerRequest),
                    s.load.p99Millis() / v.load.p99Millis(),
                    "ratio of the p99s; goal p99 <= 50 ms; " + sample.get("candidatesConsidered").asInt()
                            + " sources within 300 km in the sample"));
        }
    }

    private record Measured(HttpLoad.Result load, double cpuMillisPerRequest) {}

    /**
     * CPU of the app process over warm-up and measurement, divided by the requests of both (the warm-up counted at
     * the measured rate), less what the app burns idle (its stream thread, GC, RocksDB compaction after the
     * seeding), measured over {@link #IDLE} just before.
     */
    private static Measured measure(List<URI> uris, String token, BenchContext ctx, Optional<ProcessHandle> app)
            throws InterruptedException {
        Duration idleBefore = cpu(app);
        long idleStarted = System.nanoTime();
        Thread.sleep(IDLE.toMillis()); // the harness waits, the app idles: no store is waited on
        double idleCpuPerSecond = cpu(app).minus(idleBefore).toNanos() / 1e6 / ((System.nanoTime() - idleStarted) / 1e9);
        Duration cpuBefore = cpu(app);
        long startedNanos = System.nanoTime();
        HttpLoad.Result result = HttpLoad.run(uris, token, CONNECTIONS, Duration.ofSeconds(3), ctx.readDuration(),
                5_000_000);
        double seconds = (System.nanoTime() - startedNanos) / 1e9;
        double cpuMillis = cpu(app).minus(cpuBefore).toNanos() / 1e6 - idleCpuPerSecond * seconds;
        double requests = result.requestsPerSecond() * seconds;
        return new Measured(result, requests > 0 ? Math.max(0, cpuMillis) / requests : Double.NaN);
    }

    private static final Duration IDLE = Duration.ofSeconds(3);

    private static Measured medianByP99(List<Measured> runs) {
        List<Measured> sorted = new ArrayList<>(runs);
        sorted.sort((a, b) -> Double.compare(a.load.p99Millis(), b.load.p99Millis()));
        return sorted.get(sorted.size() / 2);
    }

    /** The app's JVM: the harness's child process running the app jar. */
    private static Optional<ProcessHandle> appProcess() {
        return ProcessHandle.current().children()
                .filter(p -> p.info().commandLine().map(c -> c.contains("api-reactive")).orElse(false))
                .findFirst();
    }

    private static Duration cpu(Optional<ProcessHandle> app) {
        return app.flatMap(p -> p.info().totalCpuDuration()).orElse(Duration.ZERO);
    }

    /** Every location and the measured products, through the API (PostgreSQL of record, then master data topics). */
    private static void put(HttpClient http, AppProcess app, String token, List<World.Site> sites,
                            List<World.Product> products) throws Exception {
        Semaphore inFlight = new Semaphore(8);
        List<CompletableFuture<HttpResponse<String>>> puts = new ArrayList<>();
        for (World.Site site : sites) {
            Map<String, Object> body = new java.util.HashMap<>(Map.of("name", site.name(), "kind", site.kind().name(),
                    "regionCode", site.regionCode(), "latitude", site.latitude(), "longitude", site.longitude()));
            if (site.dealerId() != null) {
                body.put("dealerId", site.dealerId());
            }
            if (site.safetyStockUnits() != null) {
                body.put("safetyStockUnits", site.safetyStockUnits());
            }
            puts.add(send(http, inFlight, app.uri("/api/master/locations/" + site.locationId()), token, body));
        }
        for (World.Product product : products) {
            puts.add(send(http, inFlight, app.uri("/api/master/products/" + product.sku()), token, Map.of(
                    "gtin", product.gtin(), "name", product.name(), "category", product.category().name(),
                    "shelfLifeDays", product.shelfLifeDays(), "expiryWarningDays", product.expiryWarningDays())));
        }
        for (CompletableFuture<HttpResponse<String>> put : puts) {
            HttpResponse<String> response = put.get();
            if (response.statusCode() != 200) {
                throw new IllegalStateException(response.uri() + " answered " + response.statusCode() + ": "
                        + response.body());
            }
        }
    }

    private static CompletableFuture<HttpResponse<String>> send(HttpClient http, Semaphore inFlight, URI uri,
                                                                String token, Map<String, Object> body)
            throws Exception {
        inFlight.acquire();
        return http.sendAsync(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString()).whenComplete((r, e) -> inFlight.release());
    }

    /**
     * One batch of every SKU everywhere; for the measured SKUs also a batch close to expiry and four sales over
     * the last two weeks at every location (so sale rates and days of cover are real), straight onto the app's
     * broker in the wire format, registered in the app's registry.
     */
    private static long stock(BenchContext ctx, AppProcess app, List<World.Site> sites, List<World.Product> products,
                              List<World.Product> measured) {
        EventSerdes serdes = new EventSerdes(new RestSchemaRegistryClient(URI.create(app.registryUrl()), "registry",
                "registry-secret"), true);
        return stock(ctx, app.kafkaBootstrap(), serdes, sites, products, measured);
    }

    static long stock(BenchContext ctx, String bootstrap, EventSerdes serdes, List<World.Site> sites,
                      List<World.Product> products, List<World.Product> measured) {
        Serializer<StockMovementRecorded> serializer = serdes.value(Topics.STOCK_MOVEMENTS).serializer();
        SplittableRandom random = new SplittableRandom(ctx.seed());
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        Instant now = Instant.now();
        long n = 0;
        try (KafkaProducer<String, byte[]> producer = InventoryScenario.producer(bootstrap)) {
            for (World.Site site : sites) {
                for (World.Product product : products) {
                    send(producer, serializer, movement("ts" + n++, site, product.sku(), "B-LONG", MovementKind.RECEIPT,
                            20 + random.nextInt(100), today.plusDays(400), now.minus(Duration.ofDays(15))));
                }
                for (World.Product product : measured) {
                    send(producer, serializer, movement("ts" + n++, site, product.sku(), "B-SOON", MovementKind.RECEIPT,
                            10 + random.nextInt(30), today.plusDays(20 + random.nextInt(40)),
                            now.minus(Duration.ofDays(15))));
                    for (int sale = 0; sale < 4; sale++) {
                        send(producer, serializer, movement("ts" + n++, site, product.sku(), "B-SOON", MovementKind.SALE,
                                1 + random.nextInt(6), null, now.minus(Duration.ofDays(1 + sale * 3L))));
                    }
                }
            }
            producer.flush();
        }
        return n;
    }

    private static void send(KafkaProducer<String, byte[]> producer, Serializer<StockMovementRecorded> serializer,
                             StockMovementRecorded movement) {
        producer.send(new ProducerRecord<>(Topics.STOCK_MOVEMENTS.name(), movement.getLocationId(),
                serializer.serialize(Topics.STOCK_MOVEMENTS.name(), movement)));
    }

    private static StockMovementRecorded movement(String eventId, World.Site site, String sku, String batch,
                                                  MovementKind kind, int units, LocalDate expiry, Instant at) {
        return StockMovementRecorded.newBuilder().setEventId(eventId).setOccurredAt(at).setSource("bench")
                .setLocationId(site.locationId()).setSku(sku).setBatch(batch).setKind(kind).setQuantity(units)
                .setProductionDate(null).setExpiryDate(expiry).setReference(null).setUnitPriceFen(null).build();
    }

    /** Until the app's inventory topology has committed every stock movement (bounded: 10 minutes). */
    private static void awaitCaughtUp(String bootstrap) throws Exception {
        awaitCaughtUp(bootstrap, "channelstream-inventory");
    }

    static void awaitCaughtUp(String bootstrap, String groupId) throws Exception {
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(Map.of(
                org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
            while (System.nanoTime() < deadline) {
                var committed = admin.listConsumerGroupOffsets(groupId)
                        .partitionsToOffsetAndMetadata().get();
                var partitions = committed.keySet().stream()
                        .filter(tp -> tp.topic().equals(Topics.STOCK_MOVEMENTS.name())).toList();
                if (partitions.size() == Topics.STOCK_MOVEMENTS.partitions()) {
                    var latest = admin.listOffsets(partitions.stream().collect(java.util.stream.Collectors.toMap(
                            tp -> tp, tp -> org.apache.kafka.clients.admin.OffsetSpec.latest()))).all().get();
                    if (partitions.stream().allMatch(tp -> committed.get(tp) != null
                            && committed.get(tp).offset() >= latest.get(tp).offset())) {
                        return;
                    }
                }
                Thread.sleep(1000);
            }
            throw new IllegalStateException(groupId + " did not catch up within 10 minutes");
        }
    }

    private static String get(HttpClient http, URI uri, String token) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token)
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(uri + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }
}
