package io.channelstream.api.benchmarks;

import io.channelstream.api.benchmarks.AlertsAndPartnersBenchmark.Histogram;
import io.channelstream.api.support.SecondApiInstance;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

/**
 * The lookups phase of {@link AlertsAndPartnersBenchmark}: consumers scanning the tins of a
 * {@link TraceLookupWorld}. Every tin is looked up {@code lookupsPerCode} times, in an order shuffled with a
 * seed, by {@code concurrency} clients on kept-alive connections spread over {@code clientAddresses} loopback
 * addresses (so the public rate limit counts many client addresses, as in production, not one). Three lookups
 * in four go by GS1 Digital Link path, one in four by {@code ?code=} with the printed URI; half say where the
 * consumer is ({@code regionCode}). An untimed warm-up walks the same sequence first (its figures printed too);
 * the timed phase goes on from where it stopped, wrapping around.
 */
final class TraceLookupLoad {

    record Options(int concurrency, int warmupSeconds, int seconds, int lookupsPerCode, long seed,
                   int clientAddresses, boolean rateLimits, TraceLookupWorld.Sizes sizes) {}

    private TraceLookupLoad() {
    }

    /** What one phase measured. */
    private record Phase(String name, long answered, double seconds, Histogram latency, long refused, long errors,
                         double cpuMsPerLookup, double transactionsPerLookup, double hitRatio, String loadBefore,
                         String loadAfter) {
        double rate() {
            return answered / seconds;
        }

        String summary() {
            return String.format(Locale.ROOT, "%.0f lookups/s, p50 %d ms, p99 %d ms, max %d ms, %d refused (429), "
                            + "%d errors; %.3f ms JVM CPU and %.2f PostgreSQL transactions a lookup, view cache hits "
                            + "%.0f %%", rate(), latency.percentile(0.50), latency.percentile(0.99), latency.max(),
                    refused, errors, cpuMsPerLookup, transactionsPerLookup, 100 * hitRatio);
        }
    }

    static String run(SecondApiInstance app, LoopResources loops, Options options, List<String> counties)
            throws Exception {
        Random random = new Random(options.seed());
        TraceLookupWorld.World world = TraceLookupWorld.build(app, options.sizes(), counties, random);
        String[] requests = requests(world, options.lookupsPerCode(), random);

        AtomicInteger addresses = new AtomicInteger();
        ConnectionProvider pool = ConnectionProvider.builder("bench-lookups")
                .maxConnections(options.concurrency()).build();
        HttpClient http = HttpClient.create(pool).runOn(loops).baseUrl("http://127.0.0.1:" + app.port())
                .bindAddress(() -> new InetSocketAddress(
                        "127.0.0." + (2 + addresses.getAndIncrement() % options.clientAddresses()), 0));
        AtomicLong next = new AtomicLong();
        Phase warmUp = phase("warm-up", app, http, requests, next, options.concurrency(), options.warmupSeconds());
        System.out.println("lookups warm-up (untimed): " + warmUp.summary());
        Phase timed = phase("timed", app, http, requests, next, options.concurrency(), options.seconds());
        System.out.println("lookups timed: " + timed.summary());
        pool.disposeLater().block(Duration.ofSeconds(10));
        return String.format(Locale.ROOT,
                "| Public trace lookup (GS1 Digital Link path and ?code=, incl. publishing the consumer scan; rate "
                        + "limit %s) | %d tins (%d batches × %d pallets × %d cases × %d), each looked up %d times in a "
                        + "seeded random order (seed %d), %d concurrent clients from %d addresses, %d s after a %d s "
                        + "warm-up | load %s → %s | %s; warm-up: %.0f/s, p99 %d ms |",
                options.rateLimits() ? "on, counted in Redis per client address, limit above the load" : "off",
                world.itemCodes().size(), options.sizes().batches(), options.sizes().palletsPerBatch(),
                options.sizes().casesPerPallet(), options.sizes().itemsPerCase(), options.lookupsPerCode(),
                options.seed(), options.concurrency(), options.clientAddresses(), options.seconds(),
                options.warmupSeconds(), timed.loadBefore(), timed.loadAfter(), timed.summary(), warmUp.rate(),
                warmUp.latency().percentile(0.99));
    }

    /** The request paths, every tin {@code lookupsPerCode} times, shuffled. */
    private static String[] requests(TraceLookupWorld.World world, int lookupsPerCode, Random random) {
        List<String> all = new ArrayList<>(world.itemCodes().size() * lookupsPerCode);
        for (String printed : world.itemCodes()) {
            String path = printed.substring(printed.indexOf("/01/"));
            for (int n = 0; n < lookupsPerCode; n++) {
                String where = random.nextBoolean() ? ""
                        : "regionCode=" + world.counties().get(random.nextInt(world.counties().size()));
                if (random.nextInt(4) == 0) {
                    all.add("/api/public/trace?code=" + URLEncoder.encode(printed, StandardCharsets.UTF_8)
                            + (where.isEmpty() ? "" : "&" + where));
                } else {
                    all.add(path + (where.isEmpty() ? "" : "?" + where));
                }
            }
        }
        Collections.shuffle(all, random);
        return all.toArray(String[]::new);
    }

    private static Phase phase(String name, SecondApiInstance app, HttpClient http, String[] requests, AtomicLong next,
                               int concurrency, int seconds) throws Exception {
        Histogram latency = new Histogram();
        AtomicLong refused = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        DatabaseClient db = app.bean(DatabaseClient.class);
        MeterRegistry meters = app.bean(MeterRegistry.class);
        long txBefore = transactions(db);
        double hitsBefore = views(meters, "hit");
        double missesBefore = views(meters, "miss");
        String loadBefore = AlertsAndPartnersBenchmark.loadAverage();
        long cpuBefore = AlertsAndPartnersBenchmark.processCpuNanos();
        Map<String, Long> threadsBefore = AlertsAndPartnersBenchmark.threadCpuNanosByName();
        long started = System.nanoTime();
        long end = started + Duration.ofSeconds(seconds).toNanos();
        Flux.range(0, concurrency)
                .flatMap(worker -> Mono.defer(() -> {
                            String uri = requests[(int) (next.getAndIncrement() % requests.length)];
                            long sent = System.nanoTime();
                            return http.get().uri(uri).responseSingle((response, body) -> body.asString()
                                    .defaultIfEmpty("")
                                    .doOnNext(ignored -> {
                                        int status = response.status().code();
                                        if (status == 200) {
                                            latency.record((System.nanoTime() - sent) / 1_000_000);
                                        } else if (status == 429) {
                                            refused.incrementAndGet();
                                        } else {
                                            errors.incrementAndGet();
                                        }
                                    }));
                        })
                        .onErrorResume(e -> {
                            errors.incrementAndGet();
                            return Mono.empty();
                        })
                        .repeat(() -> System.nanoTime() < end), concurrency)
                .blockLast(Duration.ofSeconds(seconds + 60L));
        double elapsed = (System.nanoTime() - started) / 1e9;
        long cpuNanos = AlertsAndPartnersBenchmark.processCpuNanos() - cpuBefore;
        AlertsAndPartnersBenchmark.printCpuShares("lookups " + name, threadsBefore,
                AlertsAndPartnersBenchmark.threadCpuNanosByName(), cpuNanos, latency.count());
        String loadAfter = AlertsAndPartnersBenchmark.loadAverage();
        double hits = views(meters, "hit") - hitsBefore;
        double misses = views(meters, "miss") - missesBefore;
        Thread.sleep(1000); // PostgreSQL's statistics collector reports with a delay
        long answered = Math.max(1, latency.count());
        return new Phase(name, latency.count(), elapsed, latency, refused.get(), errors.get(),
                cpuNanos / 1e6 / answered, (double) (transactions(db) - txBefore - 1) / answered,
                hits + misses == 0 ? Double.NaN : hits / (hits + misses), loadBefore, loadAfter);
    }

    private static long transactions(DatabaseClient db) {
        return db.sql("select xact_commit + xact_rollback as n from pg_stat_database where datname = current_database()")
                .map(row -> row.get("n", Long.class)).one().block(Duration.ofSeconds(30));
    }

    private static double views(MeterRegistry meters, String outcome) {
        Counter counter = meters.find("channelstream.trace.views").tag("outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }
}
