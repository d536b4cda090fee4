package io.channelstream.benchmarks;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * A closed-loop HTTP load generator on the JDK client: {@code connections} requests in flight, each answered
 * request followed at once by the next, for a fixed time and at most {@code maxRequests}; loopback only.
 * Latency is measured per request from send to complete body.
 */
final class HttpLoad {

    /** {@code failureReasons}: the measured failures by reason (status and the body's start, or the exception). */
    record Result(double requestsPerSecond, double p50Millis, double p99Millis, long requests, long failures,
                  java.util.Map<String, Long> failureReasons) {}

    /** At most this many distinct failure reasons are kept (each counted); the rest count under "other". */
    private static final int FAILURE_REASONS_KEPT = 8;

    private HttpLoad() {
    }

    static Result run(List<URI> targets, String bearerToken, int connections, Duration warmUp, Duration measure,
                      long maxRequests) throws InterruptedException {
        for (URI target : targets) {
            if (!target.getHost().equals("127.0.0.1") && !target.getHost().equals("localhost")) {
                throw new IllegalArgumentException("load goes to loopback only, not " + target);
            }
        }
        ExecutorService executor = Executors.newFixedThreadPool(2);
        try {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(executor)
                    .connectTimeout(Duration.ofSeconds(5)).build();
            IntFunction<HttpRequest> request = i -> HttpRequest.newBuilder(targets.get(Math.floorMod(i, targets.size())))
                    .header("Authorization", "Bearer " + bearerToken).timeout(Duration.ofSeconds(10)).GET().build();
            phase(client, request, connections, warmUp, maxRequests, null);
            ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
            AtomicLong failures = new AtomicLong();
            java.util.concurrent.ConcurrentHashMap<String, Long> reasons = new java.util.concurrent.ConcurrentHashMap<>();
            long start = System.nanoTime();
            long requests = phase(client, request, connections, measure, maxRequests,
                    new Recorder(latencies, failures, reasons));
            double seconds = (System.nanoTime() - start) / 1e9;
            long[] nanos = latencies.stream().mapToLong(Long::longValue).toArray();
            return new Result(requests / seconds, Stats.millis(Stats.percentile(nanos, 50)),
                    Stats.millis(Stats.percentile(nanos, 99)), requests, failures.get(), java.util.Map.copyOf(reasons));
        } finally {
            executor.shutdownNow();
            executor.awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private record Recorder(ConcurrentLinkedQueue<Long> latencies, AtomicLong failures,
                            java.util.concurrent.ConcurrentHashMap<String, Long> reasons) {

        void failed(HttpRequest request, HttpResponse<byte[]> response, Throwable error) {
            failures.incrementAndGet();
            String reason = error != null ? error.getClass().getSimpleName() + ": " + error.getMessage() + " ("
                    + request.uri().getPath() + ")"
                    : response.statusCode() + " " + new String(response.body(), 0,
                    Math.min(response.body().length, 160), java.nio.charset.StandardCharsets.UTF_8);
            if (reasons.size() >= FAILURE_REASONS_KEPT && !reasons.containsKey(reason)) {
                reason = "other";
            }
            reasons.merge(reason, 1L, Long::sum);
        }
    }

    private static long phase(HttpClient client, IntFunction<HttpRequest> request, int connections, Duration length,
                              long maxRequests, Recorder recorder) throws InterruptedException {
        long deadline = System.nanoTime() + length.toNanos();
        AtomicLong issued = new AtomicLong();
        CountDownLatch loopsDone = new CountDownLatch(connections);
        for (int c = 0; c < connections; c++) {
            next(client, request, deadline, maxRequests, issued, recorder, loopsDone);
        }
        if (!loopsDone.await(length.toSeconds() + 30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("load loops did not finish");
        }
        return issued.get();
    }

    private static void next(HttpClient client, IntFunction<HttpRequest> request, long deadline, long maxRequests,
                             AtomicLong issued, Recorder recorder, CountDownLatch loopsDone) {
        long n = issued.get();
        if (System.nanoTime() >= deadline || n >= maxRequests) {
            loopsDone.countDown();
            return;
        }
        int index = (int) issued.getAndIncrement();
        long sent = System.nanoTime();
        HttpRequest sending = request.apply(index * 7919);
        client.sendAsync(sending, HttpResponse.BodyHandlers.ofByteArray())
                .whenComplete((response, error) -> {
                    if (recorder != null) {
                        if (error != null || response.statusCode() != 200) {
                            recorder.failed(sending, response, error);
                        } else {
                            recorder.latencies().add(System.nanoTime() - sent);
                        }
                    }
                    next(client, request, deadline, maxRequests, issued, recorder, loopsDone);
                });
    }
}
