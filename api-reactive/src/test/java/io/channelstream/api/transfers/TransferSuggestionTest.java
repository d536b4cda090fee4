package io.channelstream.api.transfers;

import static org.assertj.core.api.Assertions.assertThat;

import io.channelstream.api.support.ApiIntegrationTest;
import io.channelstream.api.transfers.TransferSuggestionService.CandidateView;
import io.channelstream.api.transfers.TransferSuggestionService.SuggestionView;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * A Shanghai store short of a SKU asks where to get it: sources within 300 km that can spare units, ranked by
 * cost, time, their cover and expiry, each with its reasons; a source too far away, or with nothing to spare,
 * is not offered. Asked in the caller's scope, with bad parameters named.
 */
class TransferSuggestionTest extends ApiIntegrationTest {

    private String sku;
    private String destination;
    private String suzhou;
    private String hangzhou;
    private String beijing;
    private String nanjing;
    private String dealer;

    @BeforeEach
    void aShortStoreAndFourPossibleSources() {
        awaitInventoryRunning();
        sku = unique("SKU-TS");
        putProduct(sku);
        String run = unique("TS");
        dealer = run + "-D-SH";
        destination = run + "-ST-SH";
        suzhou = run + "-DL-SZ";
        hangzhou = run + "-DL-HZ";
        beijing = run + "-WH-BJ";
        nanjing = run + "-DL-NJ";
        location(destination, "STORE", "310115", 31.23, 121.47, dealer, 20);
        location(suzhou, "DEALER", "320505", 31.30, 120.58, run + "-D-SZ", 10);   // ~85 km
        location(hangzhou, "DEALER", "330106", 30.27, 120.15, run + "-D-HZ", 0);  // ~165 km
        location(beijing, "REGIONAL_WAREHOUSE", "110105", 39.90, 116.40, null, 0); // ~1,070 km
        location(nanjing, "DEALER", "320102", 32.06, 118.80, run + "-D-NJ", 40);  // ~270 km, only its safety stock
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        movement(suzhou, "B-LONG", "RECEIPT", 200, today.plusDays(400), null);
        movement(hangzhou, "B-SHORT", "RECEIPT", 100, today.plusDays(30), null);
        movement(beijing, "B-LONG", "RECEIPT", 1000, today.plusDays(400), null);
        movement(nanjing, "B-LONG", "RECEIPT", 40, today.plusDays(400), null);
        // the store sold 90 of its 100 over the last two weeks
        movement(destination, "B-LONG", "RECEIPT", 100, today.plusDays(400), Instant.now().minus(Duration.ofDays(14)));
        for (int day = 13; day >= 0; day--) {
            movement(destination, "B-LONG", "SALE", day < 6 ? 7 : 6, null,
                    Instant.now().minus(Duration.ofDays(day)).minus(Duration.ofHours(1)));
        }
    }

    @Test
    void sourcesWithinTheRadiusAreRankedWithTheirReasons() {
        SuggestionView suggestion = awaitSuggestion(view -> view.destination().available() == 10
                && view.candidatesConsidered() == 3);
        assertThat(suggestion.needed()).isGreaterThan(40);
        assertThat(suggestion.neededBecause()).contains("10 available").contains("safety stock 20");
        assertThat(suggestion.destination().saleRatePerDay()).isBetween(4.0, 8.0);
        assertThat(suggestion.complete()).isTrue();

        // Beijing is beyond 300 km, Nanjing keeps what it has as safety stock
        assertThat(suggestion.candidates()).extracting(CandidateView::locationId).containsExactly(suzhou, hangzhou);
        CandidateView first = suggestion.candidates().get(0);
        assertThat(first.rank()).isEqualTo(1);
        assertThat(first.distanceKm()).isBetween(70.0, 100.0);
        assertThat(first.units()).isEqualTo(suggestion.needed());
        assertThat(first.spareUnits()).isEqualTo(190); // keeps its safety stock of 10
        assertThat(first.transportCostFen()).isCloseTo(Math.round(first.distanceKm() * 300), org.assertj.core.data.Offset.offset(100L));
        assertThat(first.reasons()).anyMatch(r -> r.contains("transport ¥"))
                .anyMatch(r -> r.startsWith("arrives in about"))
                .anyMatch(r -> r.contains("covers the whole need"))
                .anyMatch(r -> r.startsWith("score "));
        // Hangzhou's batch expires in 30 days and it sells none: the store would sell it in time
        CandidateView second = suggestion.candidates().get(1);
        assertThat(second.batches()).extracting("batch").containsExactly("B-SHORT");
        assertThat(second.nearExpiryUnitsSaved()).isEqualTo(second.units());
        assertThat(second.reasons()).anyMatch(r -> r.contains("saves " + second.units() + " units from expiring"));
        assertThat(second.score()).isGreaterThanOrEqualTo(first.score());

        // a wider radius reaches Beijing; an explicit quantity is the need
        SuggestionView wide = get("?radiusKm=1500&quantity=5", hqToken()).expectStatus().isOk()
                .expectBody(SuggestionView.class).returnResult().getResponseBody();
        assertThat(wide.needed()).isEqualTo(5);
        assertThat(wide.candidates()).extracting(CandidateView::locationId).contains(beijing);
    }

    @Test
    void suggestionsAreAskedWithinTheCallersScopeAndBadParametersAreNamed() {
        awaitSuggestion(view -> view.candidatesConsidered() == 3);
        get("", dealerToken(dealer)).expectStatus().isOk();
        get("", managerToken("31")).expectStatus().isOk();
        get("", managerToken("44")).expectStatus().isForbidden();
        get("", dealerToken("someone-else")).expectStatus().isForbidden();
        get("?radiusKm=0", hqToken()).expectStatus().isBadRequest()
                .expectBody().jsonPath("$.fields[0].field").isEqualTo("radiusKm");
        get("?radiusKm=99999", hqToken()).expectStatus().isBadRequest()
                .expectBody().jsonPath("$.fields[0].field").isEqualTo("radiusKm");
        get("?quantity=-1", hqToken()).expectStatus().isBadRequest()
                .expectBody().jsonPath("$.fields[0].field").isEqualTo("quantity");
        get("?limit=0", hqToken()).expectStatus().isBadRequest()
                .expectBody().jsonPath("$.fields[0].field").isEqualTo("limit");
        web.get().uri("/api/locations/{id}/transfer-suggestions/{sku}", destination, "NO-SUCH-SKU")
                .headers(h -> h.setBearerAuth(hqToken())).exchange()
                .expectStatus().isEqualTo(422).expectBody().jsonPath("$.fields[0].field").isEqualTo("sku");
        web.get().uri("/api/locations/{id}/transfer-suggestions/{sku}", "NOWHERE-9", sku)
                .headers(h -> h.setBearerAuth(hqToken())).exchange().expectStatus().isNotFound();
    }

    private WebTestClient.ResponseSpec get(String query, String token) {
        return web.get().uri("/api/locations/" + destination + "/transfer-suggestions/" + sku + query)
                .headers(h -> h.setBearerAuth(token)).exchange();
    }

    private SuggestionView awaitSuggestion(java.util.function.Predicate<SuggestionView> done) {
        AtomicReference<SuggestionView> last = new AtomicReference<>();
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            var result = web.get().uri("/api/locations/" + destination + "/transfer-suggestions/" + sku)
                    .headers(h -> h.setBearerAuth(hqToken())).exchange().returnResult(SuggestionView.class);
            if (result.getStatus().value() == 503) {
                assertThat(result.getResponseHeaders().getFirst("Retry-After")).isNotBlank();
                return false;
            }
            assertThat(result.getStatus().value()).isEqualTo(200);
            last.set(result.getResponseBody().blockFirst());
            return done.test(last.get());
        });
        return last.get();
    }

    private void location(String locationId, String kind, String regionCode, double latitude, double longitude,
                          String dealerId, int safetyStock) {
        web.put().uri("/api/master/locations/{id}", locationId)
                .headers(h -> h.setBearerAuth(hqToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("""
                        {"name": "Test %s", "kind": "%s", "regionCode": "%s", "latitude": %s, "longitude": %s,
                         "dealerId": %s, "safetyStockUnits": %d}"""
                        .formatted(locationId, kind, regionCode, latitude, longitude,
                                dealerId == null ? "null" : "\"" + dealerId + "\"", safetyStock))
                .exchange().expectStatus().isOk();
    }

    private void movement(String locationId, String batch, String kind, int units, LocalDate expiry, Instant at) {
        web.post().uri("/api/stock-movements")
                .headers(h -> h.setBearerAuth(hqToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("""
                        {"locationId": "%s", "sku": "%s", "batch": "%s", "kind": "%s", "quantity": %d,
                         "expiryDate": %s, "occurredAt": %s}"""
                        .formatted(locationId, sku, batch, kind, units, expiry == null ? "null" : "\"" + expiry + "\"",
                                at == null ? "null" : "\"" + at + "\""))
                .exchange().expectStatus().isAccepted();
    }
}
