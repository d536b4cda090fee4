package io.channelstream.api.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import io.channelstream.api.support.ApiIntegrationTest;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

/**
 * The whole path, real: API → reactive producer → broker → exactly-once topology → state store →
 * interactive query → API.
 */
class StockMovementFlowTest extends ApiIntegrationTest {

    @BeforeEach
    void topologyRuns() {
        awaitInventoryRunning();
        putProduct("SKU-FORMULA-900G");
    }

    @Test
    void postedMovementsBecomeTheOnHandQuantityServedFromTheStore() {
        String location = unique("DL");
        putLocation(location, "440106", "D-FLOW");

        StockController.MovementAccepted accepted = post(location, "SKU-FORMULA-900G", "B2026-01", "RECEIPT", 120,
                "\"productionDate\": \"2026-01-10\", \"expiryDate\": \"2027-07-10\",");
        assertThat(accepted.topic()).isEqualTo("stock-movements");
        assertThat(accepted.eventId()).isNotBlank();
        post(location, "SKU-FORMULA-900G", "B2025-11", "RECEIPT", 30,
                "\"productionDate\": \"2025-11-02\", \"expiryDate\": \"2027-05-02\",");
        post(location, "SKU-FORMULA-900G", "B2026-01", "SALE", 20, "");

        StockLevelView level = awaitStock(location, "SKU-FORMULA-900G", 130);

        assertThat(level.onHand()).isEqualTo(130);
        assertThat(level.available()).isEqualTo(130);
        assertThat(level.stale()).isFalse();
        assertThat(level.servedBy()).endsWith(":" + topologies.self().port());
        // earliest expiry first: the batch to sell first is on top
        assertThat(level.batches()).extracting(StockLevelView.BatchView::batch).containsExactly("B2025-11", "B2026-01");
        assertThat(level.batches()).extracting(StockLevelView.BatchView::onHand).containsExactly(30L, 100L);
        assertThat(level.batches().get(1).expiryDate()).hasToString("2027-07-10");
    }

    @Test
    void aSkuNeverMovedAtAKnownLocationHasNoStock() {
        String location = unique("DL");
        putLocation(location, "440106", "D-FLOW");

        StockLevelView level = web.get().uri("/api/locations/{l}/stock/{s}", location, "SKU-NEVER")
                .headers(h -> h.setBearerAuth(hqToken()))
                .exchange()
                .expectStatus().isOk()
                .expectBody(StockLevelView.class).returnResult().getResponseBody();

        assertThat(level.onHand()).isZero();
        assertThat(level.batches()).isEmpty();
    }

    private StockController.MovementAccepted post(String location, String sku, String batch, String kind,
                                                  int quantity, String extra) {
        return web.post().uri("/api/stock-movements")
                .headers(h -> h.setBearerAuth(hqToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("""
                        {"locationId": "%s", "sku": "%s", "batch": "%s", "kind": "%s", %s "quantity": %d}
                        """.formatted(location, sku, batch, kind, extra, quantity))
                .exchange()
                .expectStatus().isAccepted()
                .expectBody(StockController.MovementAccepted.class).returnResult().getResponseBody();
    }

    private StockLevelView awaitStock(String location, String sku, long onHand) {
        AtomicReference<StockLevelView> last = new AtomicReference<>();
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() -> {
            StockLevelView level = web.get().uri("/api/locations/{l}/stock/{s}", location, sku)
                    .headers(h -> h.setBearerAuth(hqToken()))
                    .exchange()
                    .returnResult(StockLevelView.class).getResponseBody().blockFirst();
            last.set(level);
            return level != null && level.onHand() == onHand;
        });
        return last.get();
    }
}
