package io.channelstream.api.inventory;

import io.channelstream.api.support.ApiIntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** A malformed command is refused with the field and the reason; nothing reaches Kafka. */
class BadInputTest extends ApiIntegrationTest {

    private String location;

    @BeforeEach
    void aKnownLocation() {
        location = unique("DL");
        putLocation(location, "440106", "D-BAD");
        putProduct("SKU-1");
    }

    @Test
    void aQuantityThatIsNotANumberNamesTheField() {
        post("""
                {"locationId": "%s", "sku": "SKU-1", "batch": "B1", "kind": "RECEIPT", "quantity": "twelve"}
                """.formatted(location))
                .expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.fields[0].field").isEqualTo("quantity")
                .jsonPath("$.fields[0].reason").value(reason -> org.assertj.core.api.Assertions
                        .assertThat((String) reason).isNotBlank());
    }

    @Test
    void anUnknownMovementKindNamesTheField() {
        post("""
                {"locationId": "%s", "sku": "SKU-1", "batch": "B1", "kind": "TELEPORT", "quantity": 1}
                """.formatted(location))
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.fields[0].field").isEqualTo("kind");
    }

    @Test
    void missingFieldsAreEachNamed() {
        post("""
                {"locationId": "%s", "kind": "RECEIPT", "quantity": 1}
                """.formatted(location))
                .expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.fields[?(@.field == 'sku')].reason").exists()
                .jsonPath("$.fields[?(@.field == 'batch')].reason").exists();
    }

    @Test
    void aNegativeReceiptIsRefusedWithTheReason() {
        post("""
                {"locationId": "%s", "sku": "SKU-1", "batch": "B1", "kind": "RECEIPT", "quantity": -5}
                """.formatted(location))
                .expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.fields[0].field").isEqualTo("quantity")
                .jsonPath("$.fields[0].reason").isEqualTo("must be positive for a RECEIPT movement, was -5");
    }

    @Test
    void anExpiryBeforeProductionIsRefused() {
        post("""
                {"locationId": "%s", "sku": "SKU-1", "batch": "B1", "kind": "RECEIPT", "quantity": 5,
                 "productionDate": "2026-05-01", "expiryDate": "2026-04-01"}
                """.formatted(location))
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.fields[0].field").isEqualTo("expiryDate");
    }

    @Test
    void anUnknownLocationIsUnprocessable() {
        post("""
                {"locationId": "NOWHERE-1", "sku": "SKU-1", "batch": "B1", "kind": "RECEIPT", "quantity": 5}
                """)
                .expectStatus().isEqualTo(422)
                .expectBody()
                .jsonPath("$.fields[0].field").isEqualTo("locationId")
                .jsonPath("$.fields[0].reason").isEqualTo("unknown location 'NOWHERE-1'");
    }

    @Test
    void anUnknownSkuIsUnprocessable() {
        post("""
                {"locationId": "%s", "sku": "SKU-NOBODY-SELLS", "batch": "B1", "kind": "RECEIPT", "quantity": 5}
                """.formatted(location))
                .expectStatus().isEqualTo(422)
                .expectBody()
                .jsonPath("$.fields[0].field").isEqualTo("sku")
                .jsonPath("$.fields[0].reason").isEqualTo("unknown SKU 'SKU-NOBODY-SELLS'");
    }

    @Test
    void anOrderFromAnUnknownLocationOrForAnUnknownSkuNamesEachField() {
        order("NOWHERE-2", "SKU-1", "SKU-NOBODY-SELLS")
                .expectStatus().isEqualTo(422)
                .expectBody()
                .jsonPath("$.fields[?(@.field == 'fulfillingLocationId')].reason")
                .isEqualTo("unknown location 'NOWHERE-2'")
                .jsonPath("$.fields[?(@.field == 'lines[1].sku')].reason")
                .isEqualTo("unknown SKU 'SKU-NOBODY-SELLS'")
                .jsonPath("$.fields.length()").isEqualTo(2);
    }

    @Test
    void anOrderForKnownSkusAtAKnownLocationIsAccepted() {
        order(location, "SKU-1", "SKU-1").expectStatus().isAccepted();
    }

    @Test
    void bodyThatIsNotJsonIsRefused() {
        post("{not json").expectStatus().isBadRequest().expectBody().jsonPath("$.status").isEqualTo(400);
    }

    private WebTestClient.ResponseSpec order(String fulfillingLocationId, String firstSku, String secondSku) {
        return web.post().uri("/api/orders")
                .headers(h -> h.setBearerAuth(hqToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("""
                        {"dealerId": "D-BAD", "fulfillingLocationId": "%s", "shipTo": {"regionCode": "440106"}, "promo": false,
                         "lines": [{"sku": "%s", "quantity": 1, "unitPriceFen": 100},
                                   {"sku": "%s", "quantity": 1, "unitPriceFen": 100}]}
                        """.formatted(fulfillingLocationId, firstSku, secondSku))
                .exchange();
    }

    private WebTestClient.ResponseSpec post(String body) {
        return web.post().uri("/api/stock-movements")
                .headers(h -> h.setBearerAuth(hqToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange();
    }
}
