package io.channelstream.api.benchmarks;

import io.channelstream.api.kafka.EventPublisher;
import io.channelstream.api.security.Caller;
import io.channelstream.api.security.Role;
import io.channelstream.api.support.SecondApiInstance;
import io.channelstream.api.trace.TraceCodes;
import io.channelstream.events.Alert;
import io.channelstream.events.AlertStatus;
import io.channelstream.events.AlertType;
import io.channelstream.events.CaseUnit;
import io.channelstream.events.Pallet;
import io.channelstream.events.ShipmentDispatched;
import io.channelstream.events.Severity;
import io.channelstream.regions.RegionTree;
import io.channelstream.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

/**
 * Issue 7's own measurements, on this machine, everything in one JVM (app, embedded broker, PostgreSQL,
 * Redis, and the load generators, which compete with the app for the same cores): SSE fan-out
 * latency (alert published to Kafka → received by a stream client), webhook delivery throughput, public
 * trace lookup latency and throughput. A benchmark, not a test: it asserts nothing; it prints a table
 * and writes it into its own section of docs/benchmarks.md.
 *
 * <pre>
 * mvn -o -q -pl api-reactive test-compile org.codehaus.mojo:exec-maven-plugin:3.5.0:java -Dexec.skip=false \
 *     -Dexec.classpathScope=test -Dexec.mainClass=io.channelstream.api.benchmarks.AlertsAndPartnersBenchmark \
 *     -Dexec.args="--sse-clients 5000 --alerts-per-second 1000 --seconds 20"
 * </pre>
 * {@code --phases sse,lookups} runs a subset (default {@code sse,webhooks,lookups}); {@code --doc FILE}
 * writes the table elsewhere, {@code --no-doc} nowhere. The rate limits are on as in production (each public
 * lookup counted against its client address's limit, set above the offered load so none is refused);
 * {@code --rate-limits off} leaves them out. Lookups ({@link TraceLookupLoad}): {@code --lookup-batches 100}
 * (× 200 tins), {@code --lookups-per-code 3}, {@code --lookup-seed 7}, {@code --lookup-warmup-seconds 15},
 * {@code --lookup-client-addresses 64}, {@code --lookup-concurrency 64}.
 */
public final class AlertsAndPartnersBenchmark {

    static final String BEGIN = "<!-- BEGIN alerts-and-partners section: written by AlertsAndPartnersBenchmark -->";
    static final String END = "<!-- END alerts-and-partners section -->";

    private AlertsAndPartnersBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        int sseClients = Integer.parseInt(options.getOrDefault("sse-clients", "5000"));
        int alertsPerSecond = Integer.parseInt(options.getOrDefault("alerts-per-second", "1000"));
        int seconds = Integer.parseInt(options.getOrDefault("seconds", "20"));
        // the SSE load first runs this long unmeasured, so that the JIT has compiled the push's paths (in a fresh JVM
        // it otherwise spends ~a quarter of the measured CPU compiling): 0 measures from cold
        int sseWarmupSeconds = Integer.parseInt(options.getOrDefault("sse-warmup-seconds", "30"));
        int partners = Integer.parseInt(options.getOrDefault("partners", "10"));
        int webhookAlerts = Integer.parseInt(options.getOrDefault("webhook-alerts", "2000"));
        int lookupConcurrency = Integer.parseInt(options.getOrDefault("lookup-concurrency", "64"));
        Path doc = Path.of(options.getOrDefault("doc", "../docs/benchmarks.md"));
        // a subset of the three measurements, e.g. --phases sse,lookups
        List<String> phases = List.of(options.getOrDefault("phases", "sse,webhooks,lookups").split(","));

        List<String> rows = new ArrayList<>();
        LoopResources clientLoops = LoopResources.create("bench-client", 2, true);
        // the rate limits as in production (each public lookup counted per client address), the public limit set
        // above the offered load so nothing is refused; --rate-limits off measures the answer path alone
        boolean rateLimits = !"off".equals(options.getOrDefault("rate-limits", "on"));
        try (SecondApiInstance app = SecondApiInstance.start(
                "channelstream.rate-limits.enabled=" + rateLimits,
                "channelstream.rate-limits.public-requests=1000000",
                "logging.level.root=WARN", "logging.level.io.channelstream=WARN",
                "spring.r2dbc.pool.max-size=20")) {
            System.out.printf(Locale.ROOT, "app on port %d, %d cores%n", app.port(),
                    Runtime.getRuntime().availableProcessors());
            if (phases.contains("sse")) {
                rows.add(sseFanOut(app, clientLoops, sseClients, alertsPerSecond, seconds, sseWarmupSeconds));
            }
            if (phases.contains("webhooks")) {
                rows.add(webhooks(app, partners, webhookAlerts));
            }
            if (phases.contains("lookups")) {
                rows.add(TraceLookupLoad.run(app, clientLoops, new TraceLookupLoad.Options(lookupConcurrency,
                        Integer.parseInt(options.getOrDefault("lookup-warmup-seconds", "15")), seconds,
                        Integer.parseInt(options.getOrDefault("lookups-per-code", "3")),
                        Long.parseLong(options.getOrDefault("lookup-seed", "7")),
                        Integer.parseInt(options.getOrDefault("lookup-client-addresses", "64")), rateLimits,
                        new TraceLookupWorld.Sizes(20, Integer.parseInt(options.getOrDefault("lookup-batches", "100")),
                                2, 10, 10)), counties(RegionTree.china())));
            }
        } finally {
            clientLoops.disposeLater().block(Duration.ofSeconds(10));
        }
        String table = table(rows, sseClients, alertsPerSecond, seconds, partners, webhookAlerts, lookupConcurrency);
        System.out.println(table);
        if (!options.containsKey("no-doc")) {
            write(doc, table);
            System.out.println("written to " + doc.toAbsolutePath().normalize());
        }
        System.exit(0); // the shared embedded servers' threads are not daemons
    }

    // --- SSE fan-out ---

    private static String sseFanOut(SecondApiInstance app, LoopResources loops, int clients, int alertsPerSecond,
                                    int seconds, int warmupSeconds) throws Exception {
        RegionTree regions = RegionTree.china();
        List<String> provinces = provinces(regions);
        List<String> counties = counties(regions);
        Histogram latency = new Histogram();
        AtomicInteger ready = new AtomicInteger();
        AtomicInteger resyncs = new AtomicInteger();
        ConnectionProvider pool = ConnectionProvider.builder("bench-sse").maxConnections(clients + 16)
                .pendingAcquireMaxCount(-1).pendingAcquireTimeout(Duration.ofMinutes(2)).build();
        HttpClient http = HttpClient.create(pool).runOn(loops).baseUrl("http://127.0.0.1:" + app.port());
        List<Disposable> streams = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            // managers spread over the provinces: each alert goes to the managers of its province
            String token = app.token(new Caller("bench-manager-" + i, Role.REGIONAL_MANAGER,
                    List.of(provinces.get(i % provinces.size())), null, null, List.of()));
            // a byte-scanning client: no SSE decoder, no strings, so that 5,000 of them on the same 2 cores
            // cost little next to the server they measure
            BenchStreamScanner scanner = new BenchStreamScanner(latency, ready, resyncs);
            streams.add(http.headers(h -> h.set("Authorization", "Bearer " + token).set("Accept", "text/event-stream"))
                    .get().uri("/api/alerts/stream")
                    .responseContent()
                    .subscribe(scanner::scan, error -> { }));
        }
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (ready.get() < clients && System.nanoTime() < deadline) {
            Thread.sleep(200); // waiting for connections to open (the load generator's own pacing)
        }
        System.out.printf(Locale.ROOT, "SSE: %d of %d clients connected%n", ready.get(), clients);

        EventPublisher publisher = app.bean(EventPublisher.class);
        if (warmupSeconds > 0) {
            publishAlerts(publisher, counties, alertsPerSecond, warmupSeconds, new AtomicLong(), "warm-up:");
            Thread.sleep(5000); // the warm-up's alerts delivered before the measured ones start
            // (their summaries do not start with "bench:", so the clients do not time them)
            System.out.printf(Locale.ROOT, "SSE: warm-up of %d s done%n", warmupSeconds);
        }
        String loadBefore = loadAverage();
        long cpuBefore = processCpuNanos();
        Map<String, Long> threadsBefore = threadCpuNanosByName();
        long started = System.nanoTime();
        AtomicLong published = new AtomicLong();
        publishAlerts(publisher, counties, alertsPerSecond, seconds, published, "bench:");
        double publishedPerSecond = published.get() / ((System.nanoTime() - started) / 1e9);
        Thread.sleep(5000); // let the last alerts arrive before reading the histogram
        long cpuNanos = processCpuNanos() - cpuBefore;
        double cpuMicrosPerDelivery = cpuNanos / 1e3 / Math.max(1, latency.count());
        printCpuShares("SSE", threadsBefore, threadCpuNanosByName(), cpuNanos, latency.count());
        String loadAfter = loadAverage();
        // how much of the latency is spent before the push starts: published → stored in the inbox
        // (received_at is the inbox transaction's start)
        Map<String, Object> inboxLag = app.bean(DatabaseClient.class).sql("select "
                        + "round(percentile_cont(0.5) within group (order by lag_ms)) as p50, "
                        + "round(percentile_cont(0.99) within group (order by lag_ms)) as p99 from ("
                        + "select extract(epoch from received_at - occurred_at) * 1000 as lag_ms from alert_inbox "
                        + "where source = 'bench' and summary like 'bench:%') lags")
                .fetch().one().block(Duration.ofSeconds(30));
        System.out.printf(Locale.ROOT, "SSE: published → inbox p50 %s ms, p99 %s ms%n", inboxLag.get("p50"),
                inboxLag.get("p99"));
        streams.forEach(Disposable::dispose);
        pool.disposeLater().block(Duration.ofSeconds(10));
        return String.format(Locale.ROOT,
                "| SSE fan-out, alert published → client | %d regional managers over %d provinces (%d connected), "
                        + "%d alerts/s offered for %d s after %d s unmeasured warm-up (%.0f/s acknowledged by the "
                        + "broker) | load %s → %s | %d "
                        + "deliveries (%d expected: each alert to the managers of its province), p50 %d ms, "
                        + "p99 %d ms, max %d ms, %d resyncs; JVM CPU %.1f µs per delivery (app, broker, database "
                        + "client and the 5,000 clients) |",
                clients, provinces.size(), ready.get(), alertsPerSecond, seconds, warmupSeconds, publishedPerSecond,
                loadBefore,
                loadAfter, latency.count(), published.get() * clients / provinces.size(), latency.percentile(0.50), latency.percentile(0.99), latency.max(),
                resyncs.get(), cpuMicrosPerDelivery);
    }

    /**
     * Publishes {@code alertsPerSecond} for {@code seconds} to random counties, summaries starting with the prefix
     * and the publishing time. Ticks overlap (a tick does not wait for the previous tick's acknowledgements), and
     * what counts as achieved is what the broker acknowledged: a tick dropped or a publish failed is not an alert
     * offered.
     */
    private static void publishAlerts(EventPublisher publisher, List<String> counties, int alertsPerSecond,
                                      int seconds, AtomicLong published, String prefix) {
        Flux.interval(Duration.ofMillis(10))
                .take(seconds * 100L)
                .onBackpressureDrop()
                .flatMap(tick -> Flux.range(0, alertsPerSecond / 100)
                        .flatMap(i -> {
                            String county = counties.get(ThreadLocalRandom.current().nextInt(counties.size()));
                            return publisher.publish(Topics.ALERTS, "BENCH|" + UUID.randomUUID(),
                                            benchAlert(county, prefix + System.nanoTime() + ";"))
                                    .doOnSuccess(ack -> published.incrementAndGet());
                        }, 256)
                        .then(), 64)
                .blockLast(Duration.ofSeconds(seconds * 5L));
    }

    private static Alert benchAlert(String county, String summary) {
        return Alert.newBuilder()
                .setEventId(UUID.randomUUID().toString()).setOccurredAt(Instant.now()).setSource("bench")
                .setAlertType(AlertType.DIVERSION).setSeverity(Severity.WARNING).setStatus(AlertStatus.RAISED)
                .setConditionKey("BENCH|" + UUID.randomUUID()).setRegionCode(county).setSummary(summary)
                .setEvidence(Map.of()).build();
    }

    // --- webhooks ---

    private static String webhooks(SecondApiInstance app, int partners, int alerts) throws Exception {
        AtomicLong received = new AtomicLong();
        LoopResources receiverLoops = LoopResources.create("bench-receiver", 1, true);
        DisposableServer receiver = HttpServer.create().runOn(receiverLoops).host("127.0.0.1").port(0)
                .handle((request, response) -> request.receive().then(Mono.defer(() -> {
                    received.incrementAndGet();
                    return response.status(200).send().then();
                })))
                .bindNow();
        DatabaseClient db = app.bean(DatabaseClient.class);
        List<String> subscriptions = new ArrayList<>();
        var web = app.web();
        List<String> provinces = provinces(RegionTree.china());
        for (int p = 0; p < partners; p++) {
            String partner = "P-BENCH-" + UUID.randomUUID();
            String token = app.token(new Caller("bench-" + partner, Role.PARTNER, provinces, null, partner, List.of()));
            String id = web.post().uri("/api/subscriptions").headers(h -> h.setBearerAuth(token))
                    .header("Content-Type", "application/json")
                    .bodyValue("""
                            {"eventTypes": ["ALERTS"], "regionCodes": ["44"], "delivery": "WEBHOOK",
                             "webhookUrl": "http://127.0.0.1:%d/hook", "secret": "bench-secret-0123456789"}"""
                            .formatted(receiver.port()))
                    .exchange().expectStatus().isCreated()
                    .expectBody(Map.class).returnResult().getResponseBody().get("subscriptionId").toString();
            // paused while the events queue, so that delivery alone is measured
            web.post().uri("/api/subscriptions/{id}/activation", id).headers(h -> h.setBearerAuth(token))
                    .header("Content-Type", "application/json").bodyValue("{\"active\": false}")
                    .exchange().expectStatus().isOk();
            subscriptions.add(id);
        }
        EventPublisher publisher = app.bean(EventPublisher.class);
        Flux.range(0, alerts)
                .flatMap(i -> publisher.publish(Topics.ALERTS, "BENCH-WH|" + i + "|" + UUID.randomUUID(),
                        benchAlert("440106", "webhook bench")), 256)
                .blockLast(Duration.ofMinutes(5));
        long wanted = (long) alerts * partners;
        long queued = 0;
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (queued < wanted && System.nanoTime() < deadline) {
            Thread.sleep(500);
            queued = db.sql("select count(*) as n from partner_delivery where subscription_id = any(:ids::text[])")
                    .bind("ids", subscriptions.toArray(String[]::new))
                    .map(row -> row.get("n", Long.class)).one().block();
            System.out.printf(Locale.ROOT, "webhooks: %d queued so far%n", queued);
        }
        System.out.printf(Locale.ROOT, "webhooks: %d of %d deliveries queued%n", queued, wanted);
        String loadBefore = loadAverage();
        long cpuBefore = processCpuNanos();
        Map<String, Long> threadsBefore = threadCpuNanosByName();
        long started = System.nanoTime();
        db.sql("update partner_subscription set active = true where subscription_id = any(:ids::text[])")
                .bind("ids", subscriptions.toArray(String[]::new)).fetch().rowsUpdated().block();
        while (received.get() < wanted && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        long cpuNanos = processCpuNanos() - cpuBefore;
        double cpuMicrosPerDelivery = cpuNanos / 1e3 / Math.max(1, received.get());
        printCpuShares("webhooks", threadsBefore, threadCpuNanosByName(), cpuNanos, received.get());
        String loadAfter = loadAverage();
        // the outcomes are written after the answers: wait for the outbox to agree before stopping
        long unwritten = -1;
        long settle = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (unwritten != 0 && System.nanoTime() < settle) {
            unwritten = db.sql("select count(*) as n from partner_delivery where subscription_id = any(:ids::text[]) "
                            + "and state <> 'DELIVERED'")
                    .bind("ids", subscriptions.toArray(String[]::new))
                    .map(row -> row.get("n", Long.class)).one().block();
            Thread.sleep(200);
        }
        receiver.disposeNow();
        receiverLoops.disposeLater().block(Duration.ofSeconds(10));
        return String.format(Locale.ROOT,
                "| Webhook delivery (queued → partner answered 200, signed, outcome written back) | %d partners × "
                        + "%d alerts = %d deliveries queued, then released | load %s → %s | %d delivered in %.1f s: "
                        + "%.0f deliveries/s; JVM CPU %.0f µs per delivery (app, database client, receiver); "
                        + "%d not marked DELIVERED 30 s later |",
                partners, alerts, wanted, loadBefore, loadAfter, received.get(), seconds, received.get() / seconds,
                cpuMicrosPerDelivery, unwritten);
    }

    // --- trace lookups: TraceLookupLoad, over a TraceLookupWorld ---

    // --- helpers ---

    /** The 1-, 5- and 15-minute load averages of the machine (shared with other work). */
    static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return fields[0] + "/" + fields[1] + "/" + fields[2];
        } catch (Exception e) {
            return "?";
        }
    }

    /**
     * CPU time of this JVM's live threads, summed by thread name without its trailing number
     * ({@code bench-client-epoll-1} and {@code -2} count as {@code bench-client-epoll}): which part of the one
     * process (app's event loops, the benchmark's clients, the database driver, the broker) spent it.
     */
    static Map<String, Long> threadCpuNanosByName() {
        var threads = java.lang.management.ManagementFactory.getThreadMXBean();
        Map<String, Long> byName = new java.util.TreeMap<>();
        for (java.lang.management.ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info == null) {
                continue;
            }
            long nanos = threads.getThreadCpuTime(info.getThreadId());
            if (nanos > 0) {
                byName.merge(info.getThreadName().replaceAll("[-#_ ]?\\d+$", ""), nanos, Long::sum);
            }
        }
        return byName;
    }

    /** Prints the CPU spent between two {@link #threadCpuNanosByName} samples, by thread name, per unit of work. */
    static void printCpuShares(String phase, Map<String, Long> before, Map<String, Long> after, long processNanos,
                               long units) {
        List<Map.Entry<String, Long>> spent = new ArrayList<>();
        after.forEach((name, nanos) -> spent.add(Map.entry(name, nanos - before.getOrDefault(name, 0L))));
        spent.sort(Map.Entry.<String, Long>comparingByValue().reversed());
        System.out.printf(Locale.ROOT, "%s: JVM CPU %.1f s, %.1f µs per unit over %d units; by thread:%n", phase,
                processNanos / 1e9, processNanos / 1e3 / Math.max(1, units), units);
        for (Map.Entry<String, Long> entry : spent.subList(0, Math.min(20, spent.size()))) {
            System.out.printf(Locale.ROOT, "  %-40s %6.1f s  %5.1f %%  %6.2f µs per unit%n", entry.getKey(),
                    entry.getValue() / 1e9, 100.0 * entry.getValue() / Math.max(1, processNanos),
                    entry.getValue() / 1e3 / Math.max(1, units));
        }
    }

    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /**
     * Reads an alert stream byte by byte, without decoding it: counts {@code event:ready} and
     * {@code event:resync}, and for each {@code bench:<nanoTime>;} in an alert records the latency. Frames
     * may be split anywhere between two chunks; the matchers carry their state over. (A matcher restarts on
     * a mismatch, which is exact for these patterns in this JSON.)
     */
    static final class BenchStreamScanner {
        private static final byte[] BENCH = "bench:".getBytes(StandardCharsets.US_ASCII);
        // an event line starts a line: the stream's first line, or after a line break
        private static final byte[] EVENT_RE = "\nevent:re".getBytes(StandardCharsets.US_ASCII);

        private final Histogram latency;
        private final AtomicInteger ready;
        private final AtomicInteger resyncs;
        private int benchMatched;
        private int eventMatched = 1; // the stream's start is a line's start
        private boolean readingNanos;
        private long nanos;

        BenchStreamScanner(Histogram latency, AtomicInteger ready, AtomicInteger resyncs) {
            this.latency = latency;
            this.ready = ready;
            this.resyncs = resyncs;
        }

        void scan(io.netty.buffer.ByteBuf chunk) {
            now = System.nanoTime();
            // copied out once (a memory copy) and scanned in a plain loop over an array: scanning through the
            // buffer (forEachByte, or getByte with its reference-count check per byte) was ~95 % of the clients'
            // JFR samples, and the clients compete with the server they measure
            int length = chunk.readableBytes();
            if (copy.length < length) {
                copy = new byte[Math.max(length, copy.length * 2)];
            }
            chunk.getBytes(chunk.readerIndex(), copy, 0, length);
            byte[] bytes = copy;
            int i = 0;
            while (i < length) {
                if (benchMatched == 0 && eventMatched == 0 && !readingNanos) {
                    // nothing under way: skip to the next byte that may start a pattern (next() would leave the
                    // state as it is for every byte skipped)
                    while (i < length && bytes[i] != 'b' && bytes[i] != '\n') {
                        i++;
                    }
                    if (i == length) {
                        break;
                    }
                }
                next(bytes[i++]);
            }
        }

        private long now;
        private byte[] copy = new byte[16 * 1024];

        private boolean next(byte b) {
            if (readingNanos) {
                if (b >= '0' && b <= '9') {
                    nanos = nanos * 10 + (b - '0');
                    return true;
                }
                readingNanos = false;
                latency.record((now - nanos) / 1_000_000);
            }
            if (eventMatched == EVENT_RE.length) {
                if (b == 'a') {
                    ready.incrementAndGet();
                } else if (b == 's') {
                    resyncs.incrementAndGet();
                }
                eventMatched = 0;
            }
            eventMatched = b == EVENT_RE[eventMatched] ? eventMatched + 1 : (b == EVENT_RE[0] ? 1 : 0);
            benchMatched = b == BENCH[benchMatched] ? benchMatched + 1 : (b == BENCH[0] ? 1 : 0);
            if (benchMatched == BENCH.length) {
                benchMatched = 0;
                readingNanos = true;
                nanos = 0;
            }
            return true;
        }
    }

    private static List<String> provinces(RegionTree regions) {
        List<String> provinces = new ArrayList<>();
        for (int code = 10; code < 100; code++) {
            if (regions.region(Integer.toString(code)).map(r -> r.level() == RegionTree.Level.PROVINCE).orElse(false)) {
                provinces.add(Integer.toString(code));
            }
        }
        return provinces;
    }

    private static List<String> counties(RegionTree regions) throws Exception {
        List<String> counties = new ArrayList<>();
        try (var in = RegionTree.class.getResourceAsStream("/regions/counties.csv")) {
            String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
            for (int i = 1; i < lines.length; i++) {
                String code = lines[i].split(",")[0].strip();
                if (regions.exists(code)) {
                    counties.add(code);
                }
            }
        }
        return counties;
    }

    /** Millisecond buckets up to a minute; enough for percentiles of these runs without keeping every sample. */
    static final class Histogram {
        private final AtomicLongArray buckets = new AtomicLongArray(60_001);
        private final AtomicLong count = new AtomicLong();
        private final AtomicLong max = new AtomicLong();

        void record(long millis) {
            long bounded = Math.max(0, Math.min(millis, 60_000));
            buckets.incrementAndGet((int) bounded);
            count.incrementAndGet();
            max.accumulateAndGet(millis, Math::max);
        }

        long count() {
            return count.get();
        }

        long max() {
            return max.get();
        }

        long percentile(double p) {
            long rank = (long) Math.ceil(p * count.get());
            long seen = 0;
            for (int i = 0; i < buckets.length(); i++) {
                seen += buckets.get(i);
                if (seen >= rank && rank > 0) {
                    return i;
                }
            }
            return 0;
        }
    }

    private static String table(List<String> rows, int clients, int alertsPerSecond, int seconds, int partners,
                                int webhookAlerts, int lookupConcurrency) {
        StringBuilder out = new StringBuilder();
        out.append("## Alerts, webhooks, public trace lookup (issue 7)\n\n");
        out.append(String.format(Locale.ROOT, "Run %s on %d cores, everything in one JVM (app, embedded Kafka, "
                        + "PostgreSQL and Redis, and the load generators competing for the same cores). Command:%n%n",
                ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_LOCAL_DATE),
                Runtime.getRuntime().availableProcessors()));
        out.append("```bash\nmvn -o -q -pl api-reactive test-compile org.codehaus.mojo:exec-maven-plugin:3.5.0:java "
                + "-Dexec.skip=false \\\n    -Dexec.classpathScope=test "
                + "-Dexec.mainClass=io.channelstream.api.benchmarks.AlertsAndPartnersBenchmark \\\n    -Dexec.args=\""
                + String.format(Locale.ROOT, "--sse-clients %d --alerts-per-second %d --seconds %d --partners %d "
                        + "--webhook-alerts %d --lookup-concurrency %d", clients, alertsPerSecond, seconds, partners,
                webhookAlerts, lookupConcurrency)
                + "\"\n```\n\n");
        out.append("| what | setup | load (1/5/15 min) before → after | result |\n|---|---|---|---|\n");
        rows.forEach(row -> out.append(row).append('\n'));
        out.append('\n');
        return out.toString();
    }

    private static void write(Path doc, String section) throws Exception {
        String block = BEGIN + "\n" + section + END + "\n";
        String existing = Files.exists(doc) ? Files.readString(doc) : "# Benchmarks\n\n";
        int begin = existing.indexOf(BEGIN);
        int end = existing.indexOf(END);
        String updated = begin >= 0 && end > begin
                ? existing.substring(0, begin) + block + existing.substring(end + END.length()).replaceFirst("^\n", "")
                : existing + (existing.endsWith("\n") ? "\n" : "\n\n") + block;
        Files.writeString(doc, updated);
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].startsWith("--")) {
                String name = args[i].substring(2);
                boolean hasValue = i + 1 < args.length && !args[i + 1].startsWith("--");
                options.put(name, hasValue ? args[++i] : "true");
            }
        }
        return options;
    }
}
