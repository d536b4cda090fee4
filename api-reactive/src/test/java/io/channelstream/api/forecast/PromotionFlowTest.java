package io.channelstream.api.forecast;

import static org.assertj.core.api.Assertions.assertThat;

import io.channelstream.api.support.ApiIntegrationTest;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.KafkaStreams;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

/**
 * A promotion HQ records through the API, on the real broker, reaches the forecast topology: the dealer's
 * suggestion forecasts the planned week as a promotion week and says so. Other roles may not record one, and a
 * bad promotion is refused naming the field.
 */
class PromotionFlowTest extends ApiIntegrationTest {

    private static final ZoneId CST = ZoneId.of("Asia/Shanghai");

    @BeforeEach
    void topologyRuns() {
        putLocation("WH-CENTRAL", "310115", null); // orders are refused for an unknown fulfilling location
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> topologies.streams(ForecastConfiguration.FORECAST)
                .map(streams -> streams.state() == KafkaStreams.State.RUNNING).orElse(false));
    }

    @Test
    void aPromotionPostedThroughTheApiShowsInTheDealersSuggestion() {
        String sku = unique("SKU-PROMO");
        putDiapers(sku); // diapers: a 14-day lead time, so the suggestion spans 2 weeks
        String dealer = unique("D-PR");
        placeOrder(dealer, sku, 12);
        ForecastViews.SuggestionView before = awaitSuggestion(dealer, sku, s -> s.inTransitUnits() == 12);
        assertThat(before.explanation()).doesNotContain("promotion");

        LocalDate monday = LocalDate.now(CST).with(java.time.DayOfWeek.MONDAY);
        web.post().uri("/api/master/promotions")
                .headers(h -> h.setBearerAuth(hqToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("""
                        {"sku": "%s", "regionCode": "000000", "firstDay": "%s", "lastDay": "%s",
                         "mechanism": "BUY_TWO_GET_ONE", "expectedLift": 2.0}""".formatted(sku, monday, monday.plusDays(6)))
                .exchange()
                .expectStatus().isCreated()
                .expectBody().jsonPath("$.promotionId").isNotEmpty()
                .jsonPath("$.sku").isEqualTo(sku);

        // no order follows: the promotion alone makes the topology publish a new suggestion
        ForecastViews.SuggestionView after = awaitSuggestion(dealer, sku,
                s -> s.explanation().contains("A promotion is planned"));
        assertThat(after.forecastWeekStart()).isEqualTo(monday);
        assertThat(after.promoLift()).isEqualTo(2.0);
        assertThat(after.explanation()).endsWith("A promotion is planned in 1 of the 2 weeks: x2.00, the lift the "
                + "brand expects (none measured yet).");

        web.get().uri("/api/master/promotions/{sku}", sku)
                .headers(h -> h.setBearerAuth(dealerToken(dealer)))
                .exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$[0].mechanism").isEqualTo("BUY_TWO_GET_ONE")
                .jsonPath("$[0].firstDay").isEqualTo(monday.toString());
    }

    @Test
    void onlyHqRecordsPromotionsAndABadOneIsRefusedNamingTheField() {
        String sku = unique("SKU-PROMO");
        String valid = """
                {"sku": "%s", "regionCode": "44", "firstDay": "2026-07-06", "lastDay": "2026-07-12",
                 "mechanism": "BUY_TWO_GET_ONE"}""".formatted(sku);
        web.post().uri("/api/master/promotions")
                .headers(h -> h.setBearerAuth(dealerToken(unique("D-PR"))))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(valid)
                .exchange()
                .expectStatus().isForbidden();
        web.post().uri("/api/master/promotions")
                .headers(h -> h.setBearerAuth(managerToken("44")))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(valid)
                .exchange()
                .expectStatus().isForbidden();

        post(valid.replace("\"2026-07-12\"", "\"2026-07-01\"")).expectStatus().isBadRequest()
                .expectBody().jsonPath("$.fields[0].field").isEqualTo("lastDay");
        post(valid.replace("BUY_TWO_GET_ONE", "HALF_PRICE_FOREVER")).expectStatus().isBadRequest()
                .expectBody().jsonPath("$.fields[0].field").isEqualTo("mechanism");
        post(valid.replace("\"44\"", "\"99\"")).expectStatus().isEqualTo(422)
                .expectBody().jsonPath("$.fields[0].field").isEqualTo("regionCode");
        // valid, but the product was never recorded
        post(valid).expectStatus().isEqualTo(422)
                .expectBody().jsonPath("$.fields[0].field").isEqualTo("sku");
    }

    private org.springframework.test.web.reactive.server.WebTestClient.ResponseSpec post(String body) {
        return web.post().uri("/api/master/promotions")
                .headers(h -> h.setBearerAuth(hqToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange();
    }

    private void putDiapers(String sku) {
        web.put().uri("/api/master/products/{sku}", sku)
                .headers(h -> h.setBearerAuth(hqToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("""
                        {"gtin": "%s", "name": "Diapers L", "category": "DIAPERS",
                         "shelfLifeDays": 1095, "expiryWarningDays": 90}""".formatted(gtinFor(sku)))
                .exchange()
                .expectStatus().isOk();
    }

    private void placeOrder(String dealer, String sku, int units) {
        web.post().uri("/api/orders")
                .headers(h -> h.setBearerAuth(hqToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("""
                        {"dealerId": "%s", "fulfillingLocationId": "WH-CENTRAL",
                         "shipTo": {"regionCode": "440106"}, "promo": false,
                         "lines": [{"sku": "%s", "quantity": %d, "unitPriceFen": 5900}]}
                        """.formatted(dealer, sku, units))
                .exchange()
                .expectStatus().isAccepted();
    }

    private ForecastViews.SuggestionView awaitSuggestion(String dealer, String sku,
                                                         java.util.function.Predicate<ForecastViews.SuggestionView> done) {
        AtomicReference<ForecastViews.SuggestionView> last = new AtomicReference<>();
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> {
                    ForecastViews.SuggestionView view = web.get()
                            .uri("/api/forecast/dealers/{d}/skus/{s}/suggestion", dealer, sku)
                            .headers(h -> h.setBearerAuth(dealerToken(dealer)))
                            .exchange()
                            .returnResult(ForecastViews.SuggestionView.class).getResponseBody().blockFirst();
                    last.set(view);
                    return view != null && done.test(view);
                });
        return last.get();
    }
}
