package io.channelstream.api.masterdata;

import static org.assertj.core.api.Assertions.assertThat;

import io.channelstream.api.support.ApiIntegrationTest;
import io.channelstream.diversion.DiversionTopology;
import io.channelstream.events.AuthorizationPeriod;
import io.channelstream.events.DealerAuthorizationHistory;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

/** Dealers, products and regional prices: recorded by HQ, refused with the field when wrong, published. */
class ChannelMasterDataTest extends ApiIntegrationTest {

    @Test
    void aDealersRegionChangeKeepsItsHistoryAndTheTopologyReceivesBoth() {
        String dealer = unique("D-MOVE");
        putDealer(dealer, "44", "2026-01-01T00:00:00Z").expectStatus().isOk();
        putDealer(dealer, "31", "2026-06-01T00:00:00Z").expectStatus().isOk();

        Dealer recorded = web.get().uri("/api/master/dealers/{id}", dealer)
                .headers(h -> h.setBearerAuth(dealerToken(dealer)))
                .exchange()
                .expectStatus().isOk()
                .expectBody(Dealer.class).returnResult().getResponseBody();
        assertThat(recorded.authorizations()).extracting(Dealer.Authorization::regionCodes)
                .containsExactly(java.util.List.of("44"), java.util.List.of("31"));
        assertThat(recorded.authorizedRegionsAt(Instant.parse("2026-05-31T00:00:00Z"))).contains(java.util.List.of("44"));

        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
            KafkaStreams streams = topologies.streams("diversion").orElse(null);
            if (streams == null || streams.state() != KafkaStreams.State.RUNNING) {
                return false;
            }
            ReadOnlyKeyValueStore<String, DealerAuthorizationHistory> store = streams.store(StoreQueryParameters
                    .fromNameAndType(DiversionTopology.DEALER_AUTHORIZATIONS_STORE, QueryableStoreTypes.keyValueStore()));
            DealerAuthorizationHistory history = store.get(dealer);
            return history != null && history.getPeriods().stream().map(AuthorizationPeriod::getRegionCodes).toList()
                    .equals(java.util.List.of(java.util.List.of("44"), java.util.List.of("31")));
        });
    }

    @Test
    void aDealerWithAnUnknownRegionIsRefusedNamingTheEntry() {
        putDealer(unique("D-BAD"), "99", "2026-01-01T00:00:00Z")
                .expectStatus().isEqualTo(422)
                .expectBody().jsonPath("$.fields[0].field").isEqualTo("authorizedRegionCodes[0]");
    }

    @Test
    void onlyHqChangesMasterDataAndADealerSeesOnlyItself() {
        String dealer = unique("D-GZ");
        putDealer(dealer, "44", "2026-01-01T00:00:00Z").expectStatus().isOk();
        web.put().uri("/api/master/dealers/{id}", dealer)
                .headers(h -> h.setBearerAuth(dealerToken(dealer)))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("""
                        {"name": "self-made", "tier": 1, "authorizedRegionCodes": ["11"]}""")
                .exchange()
                .expectStatus().isForbidden();
        web.get().uri("/api/master/dealers/{id}", dealer)
                .headers(h -> h.setBearerAuth(dealerToken("someone-else")))
                .exchange()
                .expectStatus().isForbidden();
    }

    @Test
    void productsNeedAValidGtinAndPricesAFloorNotAboveTheList() {
        String sku = unique("SKU");
        web.put().uri("/api/master/products/{sku}", sku)
                .headers(h -> h.setBearerAuth(hqToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("""
                        {"gtin": "6901234567890", "name": "Formula stage 2", "category": "INFANT_FORMULA",
                         "shelfLifeDays": 540, "expiryWarningDays": 180}""")
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.fields[0].field").isEqualTo("gtin")
                .jsonPath("$.fields[0].reason").isEqualTo("check digit should be 2");

        String gtin = "69" + String.format("%010d", Math.abs(sku.hashCode()) % 1_000_000_000L);
        gtin = gtin + checkDigit(gtin);
        web.put().uri("/api/master/products/{sku}", sku)
                .headers(h -> h.setBearerAuth(hqToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("""
                        {"gtin": "%s", "name": "Formula stage 2", "category": "INFANT_FORMULA",
                         "shelfLifeDays": 540, "expiryWarningDays": 180}""".formatted(gtin))
                .exchange()
                .expectStatus().isOk();

        web.put().uri("/api/master/regional-prices/{sku}/{region}", sku, "44")
                .headers(h -> h.setBearerAuth(hqToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("""
                        {"listPriceFen": 30000, "floorPriceFen": 31000}""")
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.fields[0].field").isEqualTo("floorPriceFen");
        web.put().uri("/api/master/regional-prices/{sku}/{region}", sku, "44")
                .headers(h -> h.setBearerAuth(hqToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("""
                        {"listPriceFen": 32000, "floorPriceFen": 26000, "effectiveFrom": "2026-01-01T00:00:00Z"}""")
                .exchange()
                .expectStatus().isOk();
        web.put().uri("/api/master/regional-prices/{sku}/{region}", unique("SKU-NONE"), "44")
                .headers(h -> h.setBearerAuth(hqToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("""
                        {"listPriceFen": 32000, "floorPriceFen": 26000}""")
                .exchange()
                .expectStatus().isEqualTo(422)
                .expectBody().jsonPath("$.fields[0].field").isEqualTo("sku");

        web.get().uri("/api/master/regional-prices/{sku}", sku)
                .headers(h -> h.setBearerAuth(dealerToken("any")))
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$[0].regionCode").isEqualTo("44")
                .jsonPath("$[0].floorPriceFen").isEqualTo(26000);
    }

    private org.springframework.test.web.reactive.server.WebTestClient.ResponseSpec putDealer(
            String dealerId, String region, String effectiveFrom) {
        return web.put().uri("/api/master/dealers/{id}", dealerId)
                .headers(h -> h.setBearerAuth(hqToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("""
                        {"name": "Dealer %s", "tier": 1, "authorizedRegionCodes": ["%s"],
                         "effectiveFrom": "%s"}""".formatted(dealerId, region, effectiveFrom))
                .exchange();
    }

    private static int checkDigit(String digits) {
        int sum = 0;
        boolean three = true;
        for (int i = digits.length() - 1; i >= 0; i--) {
            sum += (digits.charAt(i) - '0') * (three ? 3 : 1);
            three = !three;
        }
        return (10 - sum % 10) % 10;
    }
}
