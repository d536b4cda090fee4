package io.channelstream.api.forecast;

import static org.assertj.core.api.Assertions.assertThat;

import io.channelstream.api.support.ApiIntegrationTest;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.KafkaStreams;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

/**
 * Orders placed through the API, on the real broker, become the dealer's features and order
 * suggestion, served from the forecast topology's stores; another dealer may not read them.
 */
class ForecastFlowTest extends ApiIntegrationTest {

    @BeforeEach
    void topologyRuns() {
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> topologies.streams(ForecastConfiguration.FORECAST)
                .map(streams -> streams.state() == KafkaStreams.State.RUNNING).orElse(false));
        putLocation("WH-CENTRAL", "310115", null); // orders are refused for an unknown fulfilling location
    }

    @Test
    void ordersPlacedThroughTheApiChangeTheDealersFeaturesAndSuggestion() {
        String dealer = unique("D-FC");
        placeOrder(dealer, false, "SKU-DIAPER-L", 12, "SKU-WIPES-80", 6);
        placeOrder(dealer, true, "SKU-DIAPER-L", 8, null, 0);

        ForecastViews.FeaturesView features = awaitFeatures(dealer, "SKU-DIAPER-L", 20);

        assertThat(features.currentWeekUnits()).isEqualTo(20);
        assertThat(features.currentWeekRevenueFen()).isEqualTo(20 * 5_900);
        assertThat(features.demandSignal()).isEqualTo("SELL_IN");
        assertThat(features.weeks()).hasSize(13);
        assertThat(features.servedBy()).endsWith(":" + topologies.self().port());

        ForecastViews.SuggestionView suggestion = web.get()
                .uri("/api/forecast/dealers/{d}/skus/{s}/suggestion", dealer, "SKU-DIAPER-L")
                .headers(h -> h.setBearerAuth(dealerToken(dealer)))
                .exchange()
                .expectStatus().isOk()
                .expectBody(ForecastViews.SuggestionView.class).returnResult().getResponseBody();
        assertThat(suggestion.inTransitUnits()).isEqualTo(20);
        assertThat(suggestion.explanation()).contains("20 in transit");

        web.get().uri("/api/forecast/dealers/{d}/skus/{s}/features", dealer, "SKU-DIAPER-L")
                .headers(h -> h.setBearerAuth(dealerToken(unique("D-OTHER"))))
                .exchange()
                .expectStatus().isForbidden();
    }

    @Test
    void coPurchaseCountsTheOrdersOfEveryPartition() {
        String diapers = unique("SKU-DIAPER");
        String wipes = unique("SKU-WIPES");
        for (int i = 0; i < 5; i++) {
            placeOrder(unique("D-CP"), false, diapers, 1, i < 4 ? wipes : null, 1);
        }

        AtomicReference<ForecastViews.CoPurchaseView> last = new AtomicReference<>();
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> {
            ForecastViews.CoPurchaseView view = web.get().uri("/api/forecast/skus/{s}/co-purchase", diapers)
                    .headers(h -> h.setBearerAuth(hqToken()))
                    .exchange()
                    .returnResult(ForecastViews.CoPurchaseView.class).getResponseBody().blockFirst();
            last.set(view);
            return view != null && view.ordersWithSku() == 5;
        });
        assertThat(last.get().partners()).hasSize(1);
        assertThat(last.get().partners().get(0).sku()).isEqualTo(wipes);
        assertThat(last.get().partners().get(0).confidence()).isEqualTo(0.8);
    }

    private void placeOrder(String dealer, boolean promo, String sku, int units, String otherSku, int otherUnits) {
        putProduct(sku);
        if (otherSku != null) {
            putProduct(otherSku);
        }
        String other = otherSku == null ? "" : """
                , {"sku": "%s", "quantity": %d, "unitPriceFen": 1500}""".formatted(otherSku, otherUnits);
        web.post().uri("/api/orders")
                .headers(h -> h.setBearerAuth(hqToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("""
                        {"dealerId": "%s", "fulfillingLocationId": "WH-CENTRAL",
                         "shipTo": {"regionCode": "440106"}, "promo": %s,
                         "lines": [{"sku": "%s", "quantity": %d, "unitPriceFen": 5900}%s]}
                        """.formatted(dealer, promo, sku, units, other))
                .exchange()
                .expectStatus().isAccepted();
    }

    private ForecastViews.FeaturesView awaitFeatures(String dealer, String sku, long currentWeekUnits) {
        AtomicReference<ForecastViews.FeaturesView> last = new AtomicReference<>();
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> {
            ForecastViews.FeaturesView features = web.get()
                    .uri("/api/forecast/dealers/{d}/skus/{s}/features", dealer, sku)
                    .headers(h -> h.setBearerAuth(dealerToken(dealer)))
                    .exchange()
                    .returnResult(ForecastViews.FeaturesView.class).getResponseBody().blockFirst();
            last.set(features);
            return features != null && features.currentWeekUnits() == currentWeekUnits;
        });
        return last.get();
    }
}
