package io.channelstream.api.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.channelstream.api.ratelimit.SharedWindowCounts.Verdict;
import io.channelstream.api.support.ApiIntegrationTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import reactor.core.publisher.Flux;

/**
 * The counts are kept in each instance first and shared through the real Redis: two counters with one key
 * prefix stand for two API instances. Their clock is fixed (one window) unless a test moves it; they share what
 * they counted when a test says so ({@code flush}) or when a request must wait for its place in the shared count.
 */
class SharedWindowCountsTest extends ApiIntegrationTest {

    private static final Duration WINDOW = Duration.ofHours(1);

    @Autowired
    ReactiveStringRedisTemplate redis;

    private final AtomicLong clock = new AtomicLong(1_800_000_000_000L);
    private String prefix;
    private SharedWindowCounts first;
    private SharedWindowCounts second;

    @BeforeEach
    void twoInstancesSharingRedis() {
        prefix = "cs:test-shared-counts:" + UUID.randomUUID() + ":";
        // flushed by the tests (or by a request that must wait), not by the clock
        first = new SharedWindowCounts(redis, prefix, Duration.ofHours(1), clock::get);
        second = new SharedWindowCounts(redis, prefix, Duration.ofHours(1), clock::get);
    }

    @AfterEach
    void stop() {
        first.close();
        second.close();
    }

    @Test
    void oneInstanceAdmitsExactlyTheLimitAndThenRefusesUntilTheWindowEnds() {
        int admitted = 0;
        for (int i = 0; i < 150; i++) {
            if (first.count("public:10.0.0.1", 100, WINDOW).block(Duration.ofSeconds(10)).admitted()) {
                admitted++;
            }
            if (i % 7 == 0) {
                first.flush();
            }
        }
        assertThat(admitted).isEqualTo(100);

        Verdict refused = first.count("public:10.0.0.1", 100, WINDOW).block(Duration.ofSeconds(10));
        assertThat(refused.admitted()).isFalse();
        long windowEnd = (clock.get() / WINDOW.toMillis() + 1) * WINDOW.toMillis();
        assertThat(refused.retryAfterMillis()).isEqualTo(windowEnd - clock.get());

        clock.set(windowEnd);
        assertThat(first.count("public:10.0.0.1", 100, WINDOW).block(Duration.ofSeconds(10)).admitted()).isTrue();
    }

    @Test
    void twoInstancesTogetherRefuseOnceTheSharedCountReachesTheLimit() {
        int limit = 20;
        int admitted = 0;
        for (int i = 0; i < 60; i++) {
            SharedWindowCounts instance = i % 2 == 0 ? first : second;
            if (instance.count("public:10.0.0.2", limit, WINDOW).block(Duration.ofSeconds(10)).admitted()) {
                admitted++;
            }
        }
        // the stated bound: limit + 2 × instances × max(1, limit / 20)
        assertThat(admitted).isBetween(limit, limit + 2 * 2);

        first.flush();
        second.flush();
        for (SharedWindowCounts instance : List.of(first, second)) {
            assertThat(instance.count("public:10.0.0.2", limit, WINDOW).block(Duration.ofSeconds(10)).admitted())
                    .isFalse();
        }
        // another client is unaffected
        assertThat(second.count("public:10.0.0.3", limit, WINDOW).block(Duration.ofSeconds(10)).admitted()).isTrue();
    }

    @Test
    void requestsAtOnceOnBothInstancesAreAdmittedNoMoreThanTheBound() {
        int limit = 100;
        List<Verdict> verdicts = Flux.range(0, 400)
                .flatMap(i -> (i % 2 == 0 ? first : second).count("partner:P-1", limit, WINDOW), 64)
                .collectList().block(Duration.ofSeconds(30));
        long admitted = verdicts.stream().filter(Verdict::admitted).count();
        assertThat(admitted).isBetween((long) limit, (long) limit + 2 * 2 * (limit / 20));
    }

    @Test
    void oneCallSharesWhatManyClientsDid() {
        List<String> clients = new ArrayList<>();
        for (int i = 0; i < 2_500; i++) {
            clients.add("public:10.1." + (i / 250) + "." + (i % 250));
        }
        clients.forEach(client -> first.count(client, 20, WINDOW).block(Duration.ofSeconds(10)));
        first.flush();

        long index = clock.get() / WINDOW.toMillis();
        String sample = prefix + WINDOW.toMillis() + ":" + clients.get(2_499) + ":" + index;
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> "1".equals(redis.opsForValue().get(sample).block(Duration.ofSeconds(5))));
        assertThat(redis.getExpire(sample).block(Duration.ofSeconds(5))).isPositive();
    }
}
