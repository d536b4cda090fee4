package io.channelstream.api.subscriptions;

import io.channelstream.api.security.Caller;
import io.channelstream.api.security.Role;
import io.channelstream.api.support.ApiIntegrationTest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Subscriptions belong to partner systems, stay inside what their token allows, and never point inward. */
class SubscriptionAccessTest extends ApiIntegrationTest {

    private static final String SECRET = "partner-shared-secret-0123456789";

    @Test
    void peopleCannotCreateSubscriptions() {
        for (String token : List.of(hqToken(), managerToken("44"), dealerToken("D-GZ"))) {
            create(token, webhook("https://partner.example/hooks", List.of("44"), List.of()))
                    .expectStatus().isForbidden();
        }
    }

    @Test
    void aPartnerCannotSubscribeToARegionOutsideItsToken() {
        create(partner("P-A", List.of("44"), List.of()), webhook("https://partner.example/hooks", List.of("31"),
                List.of()))
                .expectStatus().isForbidden();
    }

    @Test
    void aPartnerCannotSubscribeToADealerOutsideItsToken() {
        create(partner("P-A", List.of(), List.of("D-1")), webhook("https://partner.example/hooks", List.of(),
                List.of("D-2")))
                .expectStatus().isForbidden();
    }

    @Test
    void aPartnerCannotSeeOrChangeAnotherPartnersSubscription() {
        String owner = partner(unique("P-OWNER"), List.of("44"), List.of());
        String other = partner(unique("P-OTHER"), List.of("44"), List.of());
        String id = create(owner, """
                {"eventTypes": ["ALERTS"], "delivery": "SSE"}""")
                .expectStatus().isCreated()
                .expectBody(Subscription.class).returnResult().getResponseBody().subscriptionId();

        web.get().uri("/api/subscriptions/{id}", id).headers(h -> h.setBearerAuth(other))
                .exchange().expectStatus().isForbidden();
        web.get().uri("/api/subscriptions/{id}/dead-letters", id).headers(h -> h.setBearerAuth(other))
                .exchange().expectStatus().isForbidden();
        web.delete().uri("/api/subscriptions/{id}", id).headers(h -> h.setBearerAuth(other))
                .exchange().expectStatus().isForbidden();
        web.get().uri("/api/subscriptions/{id}", id).headers(h -> h.setBearerAuth(owner))
                .exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.regionCodes[0]").isEqualTo("44") // defaulted to the token's regions
                .jsonPath("$.secret").doesNotExist();
        web.delete().uri("/api/subscriptions/{id}", id).headers(h -> h.setBearerAuth(owner))
                .exchange().expectStatus().isNoContent();
        web.get().uri("/api/subscriptions/{id}", id).headers(h -> h.setBearerAuth(owner))
                .exchange().expectStatus().isNotFound();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "http://127.0.0.2:8080/hooks",        // loopback (only 127.0.0.1 is allowed, for the tests' receivers)
            "http://[::1]:8080/hooks",            // IPv6 loopback
            "http://169.254.169.254/latest/meta-data/", // cloud metadata, link-local
            "http://10.1.2.3/hooks",              // private
            "http://172.16.5.4/hooks",            // private
            "http://192.168.1.10/hooks",          // private
            "http://100.64.0.1/hooks",            // carrier-grade NAT
            "http://0.0.0.0/hooks",               // this host
            "http://[::ffff:10.0.0.1]/hooks",     // private IPv4 inside IPv6
            "http://[fd00::1]/hooks",             // IPv6 unique local
            "ftp://partner.example/hooks",        // not http(s)
            "http://user:pass@partner.example/hooks"})
    void webhookTargetsThatPointInwardAreRefused(String url) {
        create(partner("P-SSRF", List.of("44"), List.of()), webhook(url, List.of("44"), List.of()))
                .expectStatus().isEqualTo(422)
                .expectBody().jsonPath("$.fields[0].field").isEqualTo("webhookUrl");
    }

    @Test
    void aWebhookNeedsAUrlAndASecret() {
        create(partner("P-A", List.of("44"), List.of()), """
                {"eventTypes": ["ALERTS"], "delivery": "WEBHOOK"}""")
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.fields[*].field").value(fields ->
                        org.assertj.core.api.Assertions.assertThat(fields.toString()).contains("webhookUrl", "secret"));
        create(partner("P-A", List.of("44"), List.of()), """
                {"eventTypes": ["PARCELS"], "delivery": "SSE"}""")
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.fields[0].field").value(field ->
                        org.assertj.core.api.Assertions.assertThat((String) field).startsWith("eventTypes"));
    }

    private WebTestClient.ResponseSpec create(String token, String body) {
        return web.post().uri("/api/subscriptions")
                .headers(h -> h.setBearerAuth(token))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange();
    }

    private static String webhook(String url, List<String> regions, List<String> dealers) {
        return """
                {"eventTypes": ["ALERTS", "SHIPMENTS"], "regionCodes": %s, "dealerIds": %s, "delivery": "WEBHOOK",
                 "webhookUrl": "%s", "secret": "%s"}""".formatted(json(regions), json(dealers), url, SECRET);
    }

    private static String json(List<String> values) {
        return values.stream().map(v -> "\"" + v + "\"").toList().toString();
    }

    private String partner(String partnerId, List<String> regions, List<String> dealers) {
        return tokens.issue(new Caller("system-" + partnerId, Role.PARTNER, regions, null, partnerId, dealers));
    }
}
