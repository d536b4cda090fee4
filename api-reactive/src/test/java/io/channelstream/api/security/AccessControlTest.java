package io.channelstream.api.security;

import io.channelstream.api.support.ApiIntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

/** Who may see and change what: one policy, enforced on every endpoint. */
class AccessControlTest extends ApiIntegrationTest {

    private String guangzhouDealerDepot;
    private String shanghaiDealerDepot;

    @BeforeEach
    void twoDealersInTwoProvinces() {
        awaitInventoryRunning();
        guangzhouDealerDepot = unique("DL-GZ");
        shanghaiDealerDepot = unique("DL-SH");
        putLocation(guangzhouDealerDepot, "440106", "D-GZ");
        putLocation(shanghaiDealerDepot, "310115", "D-SH");
    }

    @Test
    void withoutATokenTheApiAnswers401() {
        web.get().uri("/api/locations/{l}/stock/{s}", guangzhouDealerDepot, "SKU-1")
                .exchange()
                .expectStatus().isUnauthorized();
        web.post().uri("/api/stock-movements").contentType(MediaType.APPLICATION_JSON).bodyValue("{}")
                .exchange()
                .expectStatus().isUnauthorized();
    }

    @Test
    void aTokenNotSignedByTheIssuerIsRefused() {
        String forged = hqToken().substring(0, hqToken().lastIndexOf('.') + 1) + "c2lnbmF0dXJl";
        web.get().uri("/api/locations/{l}/stock/{s}", guangzhouDealerDepot, "SKU-1")
                .headers(h -> h.setBearerAuth(forged))
                .exchange()
                .expectStatus().isUnauthorized();
    }

    @Test
    void aDealerReadingAnotherDealersStockGets403() {
        web.get().uri("/api/locations/{l}/stock/{s}", shanghaiDealerDepot, "SKU-1")
                .headers(h -> h.setBearerAuth(dealerToken("D-GZ")))
                .exchange()
                .expectStatus().isForbidden()
                .expectBody().jsonPath("$.message").value(m -> org.assertj.core.api.Assertions.assertThat((String) m)
                        .contains(shanghaiDealerDepot));
    }

    @Test
    void aDealerReadsItsOwnStock() {
        web.get().uri("/api/locations/{l}/stock/{s}", guangzhouDealerDepot, "SKU-1")
                .headers(h -> h.setBearerAuth(dealerToken("D-GZ")))
                .exchange()
                .expectStatus().isOk();
    }

    @Test
    void aDealerCannotRecordStockAtAnotherDealersLocation() {
        web.post().uri("/api/stock-movements")
                .headers(h -> h.setBearerAuth(dealerToken("D-GZ")))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("""
                        {"locationId": "%s", "sku": "SKU-1", "batch": "B1", "kind": "RECEIPT", "quantity": 5}
                        """.formatted(shanghaiDealerDepot))
                .exchange()
                .expectStatus().isForbidden();
    }

    @Test
    void aRegionalManagerSeesLocationsInsideTheRegionTreeOnly() {
        // province 44 contains county 440106 (Tianhe, Guangzhou), not 310115 (Pudong, Shanghai)
        web.get().uri("/api/locations/{l}/stock/{s}", guangzhouDealerDepot, "SKU-1")
                .headers(h -> h.setBearerAuth(managerToken("44")))
                .exchange()
                .expectStatus().isOk();
        web.get().uri("/api/locations/{l}/stock/{s}", shanghaiDealerDepot, "SKU-1")
                .headers(h -> h.setBearerAuth(managerToken("44")))
                .exchange()
                .expectStatus().isForbidden();
    }

    @Test
    void onlyHqChangesMasterData() {
        web.put().uri("/api/master/locations/{id}", unique("DL"))
                .headers(h -> h.setBearerAuth(dealerToken("D-GZ")))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("""
                        {"name": "x", "kind": "DEALER", "regionCode": "440106", "latitude": 23.1, "longitude": 113.3}
                        """)
                .exchange()
                .expectStatus().isForbidden();
    }

    @Test
    void healthIsAnonymous() {
        web.get().uri("/actuator/health").exchange().expectStatus().is2xxSuccessful();
    }
}
