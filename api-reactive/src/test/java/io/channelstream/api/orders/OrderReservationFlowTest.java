package io.channelstream.api.orders;

import static org.assertj.core.api.Assertions.assertThat;

import io.channelstream.api.inventory.ReservationView;
import io.channelstream.api.support.ApiIntegrationTest;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

/** An order placed through the API is held at its fulfilling location, or answered with its shortfall. */
class OrderReservationFlowTest extends ApiIntegrationTest {

    private static final tools.jackson.databind.json.JsonMapper JSON =
            tools.jackson.databind.json.JsonMapper.builder().build();

    private String warehouse;

    @BeforeEach
    void warehouseWithStock() {
        awaitInventoryRunning();
        warehouse = unique("WH");
        putLocation(warehouse, "440113", null);
        putProduct("SKU-RES");
        web.post().uri("/api/stock-movements")
                .headers(h -> h.setBearerAuth(hqToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("""
                        {"locationId": "%s", "sku": "SKU-RES", "batch": "B1", "kind": "RECEIPT", "quantity": 100,
                         "expiryDate": "2028-01-01"}
                        """.formatted(warehouse))
                .exchange().expectStatus().isAccepted();
    }

    @Test
    void anOrderIsHeldAndOneBeyondTheStockIsRejectedWithItsShortfall() {
        OrdersController.OrderAccepted first = place("D-RES", 80);
        assertThat(first.reservation()).isEqualTo("/api/locations/" + warehouse + "/orders/" + first.orderId()
                + "/reservation");
        ReservationView held = awaitOutcome(first, dealerToken("D-RES"));
        assertThat(held.status()).isEqualTo("RESERVED");
        assertThat(held.lines()).extracting(ReservationView.Line::batch).containsExactly("B1");

        OrdersController.OrderAccepted second = place("D-RES", 30);
        ReservationView rejected = awaitOutcome(second, hqToken());
        assertThat(rejected.status()).isEqualTo("REJECTED");
        assertThat(rejected.lines()).extracting(ReservationView.Line::sku, ReservationView.Line::shortfall)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("SKU-RES", 10));
    }

    @Test
    void anotherDealerCannotReadTheOutcome() {
        OrdersController.OrderAccepted order = place("D-RES", 5);
        awaitOutcome(order, hqToken());
        web.get().uri(order.reservation())
                .headers(h -> h.setBearerAuth(dealerToken("D-OTHER")))
                .exchange()
                .expectStatus().isForbidden();
    }

    private OrdersController.OrderAccepted place(String dealerId, int units) {
        return web.post().uri("/api/orders")
                .headers(h -> h.setBearerAuth(dealerToken(dealerId)))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("""
                        {"dealerId": "%s", "fulfillingLocationId": "%s",
                         "shipTo": {"regionCode": "440106"}, "promo": false,
                         "lines": [{"sku": "SKU-RES", "quantity": %d, "unitPriceFen": 19900}]}
                        """.formatted(dealerId, warehouse, units))
                .exchange()
                .expectStatus().isAccepted()
                .expectBody(OrdersController.OrderAccepted.class).returnResult().getResponseBody();
    }

    private ReservationView awaitOutcome(OrdersController.OrderAccepted order, String token) {
        AtomicReference<ReservationView> last = new AtomicReference<>();
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            var result = web.get().uri(order.reservation())
                    .headers(h -> h.setBearerAuth(token))
                    .exchange()
                    .expectBody(String.class).returnResult();
            assertThat(result.getStatus().value()).as(result.getResponseBody()).isEqualTo(200);
            ReservationView view = JSON.readValue(result.getResponseBody(), ReservationView.class);
            last.set(view);
            return view != null && !"PENDING".equals(view.status());
        });
        return last.get();
    }
}
