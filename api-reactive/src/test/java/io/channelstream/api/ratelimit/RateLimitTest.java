package io.channelstream.api.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.channelstream.api.security.Caller;
import io.channelstream.api.security.Role;
import io.channelstream.api.support.ApiIntegrationTest;
import io.channelstream.api.support.SecondApiInstance;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * A scraper hammering the public lookup, or a partner system in a loop, is slowed down with 429 and
 * told when to come back; everyone else carries on. Runs against an instance configured with small
 * limits (3 per hour), sharing Redis with the main test application.
 */
class RateLimitTest extends ApiIntegrationTest {

    private static SecondApiInstance limited;

    @BeforeAll
    static void anInstanceWithSmallLimits() throws Exception {
        limited = SecondApiInstance.start(
                "channelstream.rate-limits.public-requests=3",
                "channelstream.rate-limits.public-window=PT1H",
                "channelstream.rate-limits.partner-requests=3",
                "channelstream.rate-limits.partner-window=PT1H",
                // a fresh count per run, even against a Redis that outlives the test JVM
                "channelstream.rate-limits.key-prefix=cs:test-ratelimit:" + UUID.randomUUID() + ":");
    }

    @AfterAll
    static void stop() {
        limited.close();
    }

    @Test
    void theFourthPublicLookupWithinTheWindowGets429WithRetryAfter() {
        WebTestClient web = limited.web();
        for (int i = 0; i < 3; i++) {
            web.get().uri("/api/public/trace?code=NO-SUCH-CODE").exchange().expectStatus().isNotFound();
        }
        web.get().uri("/01/09506000134352/10/B1/21/S1").exchange()
                .expectStatus().isEqualTo(429)
                .expectHeader().value(HttpHeaders.RETRY_AFTER, retryAfter ->
                        assertThat(Long.parseLong(retryAfter)).isBetween(1L, 3600L))
                .expectBody().jsonPath("$.status").isEqualTo(429);
    }

    @Test
    void aPartnerOverItsLimitGets429AndAnotherPartnerIsUnaffected() {
        WebTestClient web = limited.web();
        String busy = limited.token(partner(UUID.randomUUID().toString()));
        String calm = limited.token(partner(UUID.randomUUID().toString()));
        for (int i = 0; i < 3; i++) {
            web.get().uri("/api/alerts").headers(h -> h.setBearerAuth(busy)).exchange().expectStatus().isOk();
        }
        web.get().uri("/api/alerts").headers(h -> h.setBearerAuth(busy)).exchange()
                .expectStatus().isEqualTo(429)
                .expectHeader().exists(HttpHeaders.RETRY_AFTER);
        web.get().uri("/api/alerts").headers(h -> h.setBearerAuth(calm)).exchange().expectStatus().isOk();
    }

    @Test
    void peopleSignedInAreNotCountedAgainstPartnerLimits() {
        WebTestClient web = limited.web();
        String manager = limited.token(new Caller("manager", Role.REGIONAL_MANAGER, List.of("44"), null, null,
                List.of()));
        for (int i = 0; i < 6; i++) {
            web.get().uri("/api/alerts").headers(h -> h.setBearerAuth(manager)).exchange().expectStatus().isOk();
        }
    }

    private static Caller partner(String partnerId) {
        return new Caller("erp-" + partnerId, Role.PARTNER, List.of("44"), null, "P-" + partnerId, List.of());
    }
}
