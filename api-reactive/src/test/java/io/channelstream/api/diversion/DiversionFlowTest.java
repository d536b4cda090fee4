package io.channelstream.api.diversion;

import static org.assertj.core.api.Assertions.assertThat;

import io.channelstream.api.support.ApiIntegrationTest;
import io.channelstream.diversion.DiversionTopology;
import io.channelstream.events.Alert;
import io.channelstream.events.AlertType;
import io.channelstream.schemas.EventSerdes;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;

/**
 * Diversion detection end to end on the real broker: dealers, locations, shipments and scans go in
 * through the API, the exactly-once topology judges them, alerts come out on the alerts topic, and the
 * code's trail and the dealer's score are served from the topology's stores.
 */
class DiversionFlowTest extends ApiIntegrationTest {

    private static final String GTIN = "06901234567892";

    @Autowired
    private EventSerdes serdes;

    private String dealer;
    private String depot;
    private String warehouse;

    @BeforeEach
    void aGuangdongDealerWithItsDepot() {
        Awaitility.await().atMost(Duration.ofSeconds(90)).until(() -> topologies.streams(DiversionApiConfig.TOPOLOGY)
                .map(streams -> streams.state() == KafkaStreams.State.RUNNING).orElse(false));
        dealer = unique("D-GZ");
        depot = unique("DL-GZ");
        warehouse = unique("WH");
        putDealer(dealer, "44", "44");
        putLocation(depot, "440106", dealer);
        putLocation(warehouse, "440113", null);
        putProduct("SKU-FORMULA-900G");
        awaitMasterData(DiversionTopology.DEALER_AUTHORIZATIONS_STORE, dealer);
        awaitMasterData(DiversionTopology.LOCATIONS_STORE, depot);
    }

    @Test
    void scansAndShipmentsPostedThroughTheApiRaiseADiversionAlertOnTheAlertTopic() {
        String item = "https://qr.brand.test/01/" + GTIN + "/10/B2026-01/21/" + unique("S");
        String inRegion = "https://qr.brand.test/01/" + GTIN + "/10/B2026-01/21/" + unique("S");
        Instant dispatched = Instant.now().minus(Duration.ofHours(2));
        web.post().uri("/api/shipments")
                .headers(h -> h.setBearerAuth(hqToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("""
                        {"shipmentId": "%s", "fromLocationId": "%s", "toLocationId": "%s",
                         "lines": [{"sku": "SKU-FORMULA-900G", "batch": "B2026-01", "quantity": 2}],
                         "looseCases": [{"caseCode": "%s", "sku": "SKU-FORMULA-900G", "batch": "B2026-01",
                                         "itemCodes": ["%s", "%s"]}],
                         "occurredAt": "%s"}
                        """.formatted(unique("SHP"), warehouse, depot, unique("CASE"), item, inRegion, dispatched))
                .exchange()
                .expectStatus().isAccepted();

        postScan(item, "310115", "STORE_SALE");      // Shanghai Pudong: outside Guangdong
        postScan(inRegion, "440305", "STORE_SALE");  // Shenzhen: inside province 44

        Alert alert = awaitAlert(a -> a.getConditionKey().equals("DIVERSION|" + item));
        assertThat(alert.getAlertType()).isEqualTo(AlertType.DIVERSION);
        assertThat(alert.getDealerId()).isEqualTo(dealer);
        assertThat(alert.getRegionCode()).isEqualTo("44");
        assertThat(alert.getEvidence())
                .containsEntry("scannedRegionCode", "310115")
                .containsEntry("expectedRegionCodes", "44")
                .containsEntry("scannerRole", "STORE_SALE");

        CodeTrailView trail = web.get().uri(b -> b.path("/api/diversion/codes").queryParam("code", "{code}")
                        .build(item))
                .headers(h -> h.setBearerAuth(dealerToken(dealer)))
                .exchange()
                .expectStatus().isOk()
                .expectBody(CodeTrailView.class).returnResult().getResponseBody();
        assertThat(trail.bound()).isTrue();
        assertThat(trail.bindings()).singleElement().satisfies(binding -> {
            assertThat(binding.dealerId()).isEqualTo(dealer);
            assertThat(binding.toLocationId()).isEqualTo(depot);
        });
        assertThat(trail.sightings()).extracting(CodeTrailView.SightingView::verdict).containsExactly("OUT_OF_REGION");
        assertThat(trail.raisedConditions()).contains("DIVERSION|" + item);
        // another dealer may not see it, not even by posing as an instance forwarding a query
        web.get().uri(b -> b.path("/api/diversion/codes").queryParam("code", "{code}").build(item))
                .headers(h -> h.setBearerAuth(dealerToken("someone-else")))
                .header(io.channelstream.api.streams.KeyOwnerRouter.FORWARDED_HEADER, "true")
                .exchange()
                .expectStatus().isForbidden();

        DealerScoreView score = web.get().uri("/api/diversion/dealers/{d}/score", dealer)
                .headers(h -> h.setBearerAuth(dealerToken(dealer)))
                .exchange()
                .expectStatus().isOk()
                .expectBody(DealerScoreView.class).returnResult().getResponseBody();
        assertThat(score.windowDiversions()).isEqualTo(1);
        assertThat(score.openCases()).extracting(c -> c.areaCode()).containsExactly("3101");
    }

    @Test
    void aCrossRegionOrderIsRefusedNamingShipToRegionCodeAndAlerted() {
        String orderId = unique("O");
        web.post().uri("/api/orders")
                .headers(h -> h.setBearerAuth(dealerToken(dealer)))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("""
                        {"orderId": "%s", "dealerId": "%s", "fulfillingLocationId": "%s",
                         "shipTo": {"regionCode": "310115"}, "promo": false,
                         "lines": [{"sku": "SKU-FORMULA-900G", "quantity": 24, "unitPriceFen": 30000}]}
                        """.formatted(orderId, dealer, warehouse))
                .exchange()
                .expectStatus().isEqualTo(422)
                .expectBody()
                .jsonPath("$.fields[0].field").isEqualTo("shipTo.regionCode")
                .jsonPath("$.fields[0].reason").value(reason -> assertThat((String) reason)
                        .contains("310115").contains(dealer).contains("44"));

        Alert alert = awaitAlert(a -> a.getConditionKey().equals("CROSS_REGION_ORDER|" + orderId));
        assertThat(alert.getRegionCode()).isEqualTo("44");
        assertThat(alert.getEvidence()).containsEntry("refused", "true").containsEntry("shipToRegionCode", "310115");
    }

    @Test
    void aDealerCannotReadAnotherDealersScore() {
        String other = unique("D-SH");
        putDealer(other, "31", null);

        web.get().uri("/api/diversion/dealers/{d}/score", other)
                .headers(h -> h.setBearerAuth(dealerToken(dealer)))
                .exchange()
                .expectStatus().isForbidden();
        web.get().uri("/api/diversion/dealers/{d}/score", other)
                .headers(h -> h.setBearerAuth(managerToken("31")))
                .exchange()
                .expectStatus().isOk()
                .expectBody(DealerScoreView.class)
                .value(score -> assertThat(score.windowDiversions()).isZero());
    }

    @Test
    void scansThatCannotBeJudgedAreRefusedNamingTheField() {
        web.post().uri("/api/scans")
                .headers(h -> h.setBearerAuth(hqToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("""
                        {"code": "https://qr.brand.test/01/06901234567890/21/1", "regionCode": "310115",
                         "scannerRole": "CONSUMER"}""")
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.fields[0].field").isEqualTo("code")
                .jsonPath("$.fields[0].reason").value(reason -> assertThat((String) reason).contains("check digit"));
        web.post().uri("/api/scans")
                .headers(h -> h.setBearerAuth(hqToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("""
                        {"code": "CASE-12345", "regionCode": "999999", "scannerRole": "CONSUMER"}""")
                .exchange()
                .expectStatus().isEqualTo(422)
                .expectBody().jsonPath("$.fields[0].field").isEqualTo("regionCode");
        web.post().uri("/api/scans")
                .headers(h -> h.setBearerAuth(hqToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("""
                        {"code": "CASE-12345", "scannerRole": "CONSUMER"}""")
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.fields[0].field").isEqualTo("regionCode");
    }

    private void postScan(String code, String regionCode, String role) {
        web.post().uri("/api/scans")
                .headers(h -> h.setBearerAuth(hqToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("code", code, "regionCode", regionCode, "scannerRole", role))
                .exchange()
                .expectStatus().isAccepted();
    }

    private void putDealer(String dealerId, String region, String managerRegion) {
        web.put().uri("/api/master/dealers/{id}", dealerId)
                .headers(h -> h.setBearerAuth(hqToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("""
                        {"name": "Dealer %s", "tier": 1, "authorizedRegionCodes": ["%s"],
                         "effectiveFrom": "2026-01-01T00:00:00Z", "regionalManagerRegionCode": %s}
                        """.formatted(dealerId, region, managerRegion == null ? "null" : "\"" + managerRegion + "\""))
                .exchange()
                .expectStatus().isOk();
    }

    /** The topology reads master data into a global store; the test waits (polling) until it is there. */
    private void awaitMasterData(String store, String key) {
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            KafkaStreams streams = topologies.streams(DiversionApiConfig.TOPOLOGY).orElseThrow();
            ReadOnlyKeyValueStore<String, Object> global = streams.store(
                    StoreQueryParameters.fromNameAndType(store, QueryableStoreTypes.keyValueStore()));
            return global.get(key) != null;
        });
    }

    private Alert awaitAlert(Predicate<Alert> wanted) {
        return readAlertsUntil(serdes, wanted, Duration.ofSeconds(60)).stream().filter(wanted).findFirst()
                .orElseThrow();
    }
}
