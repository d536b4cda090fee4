package io.channelstream.api.transfers;

import static org.assertj.core.api.Assertions.assertThat;

import io.channelstream.api.diversion.CodeTrailView;
import io.channelstream.api.diversion.DiversionApiConfig;
import io.channelstream.api.support.ApiIntegrationTest;
import io.channelstream.diversion.DiversionTopology;
import io.channelstream.events.Alert;
import io.channelstream.schemas.EventSerdes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;

/**
 * End to end on the real broker, both topologies: goods shipped to a Guangdong dealer and transferred through
 * the workflow to a Shanghai dealer are legitimate in Shanghai (their codes were rebound to it), while an item
 * of the same case that stayed behind and turns up in Shanghai is diversion.
 */
class TransferDiversionTest extends ApiIntegrationTest {

    private static final String GTIN = "06901234567892";

    @Autowired
    private EventSerdes serdes;

    @Test
    void aTransferredCodeScannedAtTheDestinationRaisesNoDiversionAlert() {
        awaitInventoryRunning();
        Awaitility.await().atMost(Duration.ofSeconds(90)).until(() -> topologies.streams(DiversionApiConfig.TOPOLOGY)
                .map(streams -> streams.state() == KafkaStreams.State.RUNNING).orElse(false));
        String sku = unique("SKU-TD");
        putProduct(sku);
        String gzDealer = unique("D-GZ");
        String shDealer = unique("D-SH");
        String warehouse = unique("WH");
        String gzDepot = unique("DL-GZ");
        String shDepot = unique("DL-SH");
        putDealer(gzDealer, "44");
        putDealer(shDealer, "31");
        putLocation(warehouse, "440113", null);
        putLocation(gzDepot, "440106", gzDealer);
        putLocation(shDepot, "310115", shDealer);
        awaitDiversionMasterData(DiversionTopology.DEALER_AUTHORIZATIONS_STORE, gzDealer);
        awaitDiversionMasterData(DiversionTopology.DEALER_AUTHORIZATIONS_STORE, shDealer);
        awaitDiversionMasterData(DiversionTopology.LOCATIONS_STORE, shDepot);

        // a case of two items goes to the Guangdong depot: both codes bound to province 44
        String moved = "https://qr.brand.test/01/" + GTIN + "/10/B2026-01/21/" + unique("S");
        String stayed = "https://qr.brand.test/01/" + GTIN + "/10/B2026-01/21/" + unique("S");
        post("/api/shipments", hqToken(), """
                {"shipmentId": "%s", "fromLocationId": "%s", "toLocationId": "%s",
                 "lines": [{"sku": "%s", "batch": "B2026-01", "quantity": 2}],
                 "looseCases": [{"caseCode": "%s", "sku": "%s", "batch": "B2026-01", "itemCodes": ["%s", "%s"]}],
                 "occurredAt": "%s"}""".formatted(unique("SHP"), warehouse, gzDepot, sku, unique("CASE"), sku, moved,
                stayed, Instant.now().minus(Duration.ofHours(3))))
                .expectStatus().isAccepted();
        post("/api/stock-movements", hqToken(), """
                {"locationId": "%s", "sku": "%s", "batch": "B2026-01", "kind": "RECEIPT", "quantity": 2,
                 "expiryDate": "2027-07-10"}""".formatted(gzDepot, sku)).expectStatus().isAccepted();

        // one item moves to Shanghai through the workflow
        String transferId = unique("TR");
        post("/api/transfers", dealerToken(shDealer), """
                {"transferId": "%s", "fromLocationId": "%s", "toLocationId": "%s",
                 "lines": [{"sku": "%s", "batch": "B2026-01", "quantity": 1}]}"""
                .formatted(transferId, gzDepot, shDepot, sku)).expectStatus().isAccepted();
        awaitStatus(transferId, "REQUESTED");
        post("/api/transfers/" + transferId + "/approve", hqToken(), "{}").expectStatus().isAccepted();
        awaitStatus(transferId, "APPROVED");
        post("/api/transfers/" + transferId + "/dispatch", dealerToken(gzDealer), """
                {"codes": ["%s"]}""".formatted(moved)).expectStatus().isAccepted();
        awaitStatus(transferId, "DISPATCHED");
        post("/api/transfers/" + transferId + "/receive", dealerToken(shDealer), "{}").expectStatus().isAccepted();
        awaitStatus(transferId, "RECEIVED");

        // both items are sold in Shanghai
        postScan(moved, "310115");
        postScan(stayed, "310115");

        // the moved item's scan is judged (its sighting is in the trail, with the conditions it raised) ...
        CodeTrailView trail = awaitTrail(moved);
        assertThat(trail.bindings().get(trail.bindings().size() - 1)).satisfies(binding -> {
            assertThat(binding.cause()).isEqualTo("TRANSFER");
            assertThat(binding.reference()).isEqualTo(transferId);
            assertThat(binding.toLocationId()).isEqualTo(shDepot);
        });
        assertThat(trail.sightings()).singleElement()
                .satisfies(sighting -> assertThat(sighting.verdict()).isNotEqualTo("OUT_OF_REGION"));
        assertThat(trail.raisedConditions()).noneMatch(condition -> condition.contains(moved));
        // ... and the item that stayed behind is diversion, so the check itself is awake
        List<Alert> alerts = awaitAlert("DIVERSION|" + stayed);
        assertThat(alerts).noneMatch(alert -> alert.getConditionKey().contains(moved));
    }

    private void awaitStatus(String transferId, String status) {
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
            var result = web.get().uri("/api/transfers/{id}", transferId).headers(h -> h.setBearerAuth(hqToken()))
                    .exchange().returnResult(TransferView.class);
            return result.getStatus().value() == 200 && status.equals(result.getResponseBody().blockFirst().status());
        });
    }

    private CodeTrailView awaitTrail(String code) {
        AtomicReference<CodeTrailView> last = new AtomicReference<>();
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            var result = web.get().uri(b -> b.path("/api/diversion/codes").queryParam("code", "{code}").build(code))
                    .headers(h -> h.setBearerAuth(hqToken())).exchange().returnResult(CodeTrailView.class);
            if (result.getStatus().value() != 200) {
                return false;
            }
            last.set(result.getResponseBody().blockFirst());
            return !last.get().sightings().isEmpty();
        });
        return last.get();
    }

    private void postScan(String code, String regionCode) {
        post("/api/scans", hqToken(), """
                {"code": "%s", "regionCode": "%s", "scannerRole": "STORE_SALE"}""".formatted(code, regionCode))
                .expectStatus().isAccepted();
    }

    private org.springframework.test.web.reactive.server.WebTestClient.ResponseSpec post(String path, String token,
                                                                                          String body) {
        return web.post().uri(path).headers(h -> h.setBearerAuth(token)).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body).exchange();
    }

    private void putDealer(String dealerId, String region) {
        web.put().uri("/api/master/dealers/{id}", dealerId)
                .headers(h -> h.setBearerAuth(hqToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("""
                        {"name": "Dealer %s", "tier": 1, "authorizedRegionCodes": ["%s"],
                         "effectiveFrom": "2026-01-01T00:00:00Z", "regionalManagerRegionCode": null}
                        """.formatted(dealerId, region))
                .exchange()
                .expectStatus().isOk();
    }

    private void awaitDiversionMasterData(String store, String key) {
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            KafkaStreams streams = topologies.streams(DiversionApiConfig.TOPOLOGY).orElseThrow();
            ReadOnlyKeyValueStore<String, Object> global = streams.store(
                    StoreQueryParameters.fromNameAndType(store, QueryableStoreTypes.keyValueStore()));
            return global.get(key) != null;
        });
    }

    /**
     * Every alert on the topic until the wanted one has come (read committed, from the start). Records other tests
     * put there on purpose to be unreadable (the inbox's dead-letter tests) are passed over.
     */
    private List<Alert> awaitAlert(String conditionKey) {
        return readAlertsUntil(serdes, alert -> alert.getConditionKey().equals(conditionKey), Duration.ofSeconds(90));
    }
}
