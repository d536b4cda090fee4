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
    void bodyThatIsNotJsonIsRefused() {
        post("{not json").expectStatus().isBadRequest().expectBody().jsonPath("$.status").isEqualTo(400);
    }

    private WebTestClient.ResponseSpec post(String body) {
        return web.post().uri("/api/stock-movements")
                .headers(h -> h.setBearerAuth(hqToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange();
    }
}
