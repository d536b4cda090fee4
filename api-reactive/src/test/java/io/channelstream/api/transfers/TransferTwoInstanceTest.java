package io.channelstream.api.transfers;

import static org.assertj.core.api.Assertions.assertThat;

import io.channelstream.api.inventory.StockLevelView;
import io.channelstream.api.security.Caller;
import io.channelstream.api.security.Role;
import io.channelstream.api.streams.TopologyRunner;
import io.channelstream.api.support.ApiIntegrationTest;
import io.channelstream.api.support.RoutingInstances;
import io.channelstream.api.support.TestIdentityProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * Two instances of one application: a transfer's state is served by the instance owning its source's stock,
 * whichever instance is asked, and its steps may be sent to either; a suggestion gathers both instances'
 * partitions.
 */
class TransferTwoInstanceTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int SOURCES = 12;

    private final TestIdentityProvider identityProvider = new TestIdentityProvider();
    private final String prefix = "transfers-" + UUID.randomUUID().toString().substring(0, 8);
    private final RoutingInstances instances = new RoutingInstances(identityProvider, prefix, TopologyRunner.INVENTORY);

    @AfterEach
    void stopInstances() {
        instances.close();
    }

    @Test
    void eitherInstanceServesTransfersAndSuggestionsOfBoth() throws Exception {
        ConfigurableApplicationContext first = instances.start();
        ConfigurableApplicationContext second = instances.start("--channelstream.schema-registry.url=http://"
                + RoutingInstances.hostOf(first) + "/schema-registry");
        instances.awaitRunning(Duration.ofSeconds(90), first, second);
        WebTestClient one = RoutingInstances.client(first);
        WebTestClient two = RoutingInstances.client(second);
        String sku = "SKU-TT-" + prefix;
        one.put().uri("/api/master/products/{sku}", sku).headers(h -> h.setBearerAuth(hq()))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(ApiIntegrationTest.productJson(sku))
                .exchange().expectStatus().isOk();
        // brand warehouses (no dealer: HQ operates them) a few km apart around Shanghai
        String destination = "WH-TT-" + prefix + "-dest";
        putWarehouse(one, destination, 0);
        List<String> sources = new ArrayList<>();
        for (int i = 0; i < SOURCES; i++) {
            String source = "WH-TT-" + prefix + "-" + (char) ('a' + i);
            putWarehouse(one, source, i + 1);
            post(one, "/api/stock-movements", """
                    {"locationId": "%s", "sku": "%s", "batch": "B1", "kind": "RECEIPT", "quantity": 50,
                     "expiryDate": "2027-12-31"}""".formatted(source, sku)).expectStatus().isAccepted();
            sources.add(source);
        }

        // the suggestion is the same, and whole, from either instance
        TransferSuggestionService.SuggestionView viaOne = awaitSuggestion(one, destination, sku);
        TransferSuggestionService.SuggestionView viaTwo = awaitSuggestion(two, destination, sku);
        assertThat(viaOne.servedBy()).containsExactlyInAnyOrder(RoutingInstances.hostOf(first),
                RoutingInstances.hostOf(second));
        assertThat(viaTwo.candidates()).isEqualTo(viaOne.candidates());
        assertThat(viaOne.candidates()).hasSize(10).allSatisfy(candidate -> assertThat(candidate.units()).isEqualTo(5));

        // one transfer from each source: requested through one instance, carried on through the other
        Set<String> servedBy = new HashSet<>();
        List<String> transfers = new ArrayList<>();
        for (String source : sources) {
            String transferId = "TR-" + source;
            post(one, "/api/transfers", """
                    {"transferId": "%s", "fromLocationId": "%s", "toLocationId": "%s",
                     "lines": [{"sku": "%s", "quantity": 5}]}""".formatted(transferId, source, destination, sku))
                    .expectStatus().isAccepted();
            transfers.add(transferId);
        }
        for (String transferId : transfers) {
            TransferView fromOne = awaitStatus(one, transferId, "REQUESTED");
            TransferView fromTwo = awaitStatus(two, transferId, "REQUESTED");
            assertThat(fromTwo.servedBy()).isEqualTo(fromOne.servedBy()); // the owner of the source answers
            servedBy.add(fromOne.servedBy());
            post(two, "/api/transfers/" + transferId + "/approve", "{}").expectStatus().isAccepted();
            awaitStatus(one, transferId, "APPROVED");
            post(one, "/api/transfers/" + transferId + "/dispatch", "{}").expectStatus().isAccepted();
            awaitStatus(two, transferId, "DISPATCHED");
            post(two, "/api/transfers/" + transferId + "/receive", "{}").expectStatus().isAccepted();
        }
        assertThat(servedBy).as("sources on both instances").hasSize(2);
        for (String transferId : transfers) {
            awaitStatus(one, transferId, "RECEIVED");
        }
        StockLevelView received = awaitStock(two, destination, sku, level -> level.onHand() == 5L * SOURCES);
        assertThat(received.batches()).singleElement().satisfies(batch -> assertThat(batch.batch()).isEqualTo("B1"));
        for (String source : sources) {
            awaitStock(one, source, sku, level -> level.onHand() == 45);
        }
    }

    private TransferSuggestionService.SuggestionView awaitSuggestion(WebTestClient web, String destination, String sku) {
        TransferSuggestionService.SuggestionView[] last = new TransferSuggestionService.SuggestionView[1];
        Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> {
            EntityExchangeResult<String> result = web.get()
                    .uri("/api/locations/{d}/transfer-suggestions/{s}?quantity=5", destination, sku)
                    .headers(h -> h.setBearerAuth(hq())).exchange().expectBody(String.class).returnResult();
            if (result.getStatus().value() == 503) {
                assertThat(result.getResponseHeaders().getFirst("Retry-After")).isNotBlank();
                return false;
            }
            assertThat(result.getStatus().value()).as("suggestion: %s", result.getResponseBody()).isEqualTo(200);
            last[0] = JSON.readValue(result.getResponseBody(), TransferSuggestionService.SuggestionView.class);
            assertThat(last[0].complete()).isTrue();
            return last[0].candidatesConsidered() == SOURCES;
        });
        return last[0];
    }

    private TransferView awaitStatus(WebTestClient web, String transferId, String status) {
        TransferView[] last = new TransferView[1];
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
            EntityExchangeResult<String> result = web.get().uri("/api/transfers/{id}", transferId)
                    .headers(h -> h.setBearerAuth(hq())).exchange().expectBody(String.class).returnResult();
            if (result.getStatus().value() == 503) {
                return false;
            }
            assertThat(result.getStatus().value()).as("transfer: %s", result.getResponseBody()).isEqualTo(200);
            last[0] = JSON.readValue(result.getResponseBody(), TransferView.class);
            return status.equals(last[0].status());
        });
        return last[0];
    }

    private StockLevelView awaitStock(WebTestClient web, String location, String sku, Predicate<StockLevelView> done) {
        StockLevelView[] last = new StockLevelView[1];
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
            EntityExchangeResult<String> result = web.get().uri("/api/locations/{l}/stock/{s}", location, sku)
                    .headers(h -> h.setBearerAuth(hq())).exchange().expectBody(String.class).returnResult();
            if (result.getStatus().value() != 200) {
                return false;
            }
            last[0] = JSON.readValue(result.getResponseBody(), StockLevelView.class);
            return done.test(last[0]);
        });
        return last[0];
    }

    private void putWarehouse(WebTestClient web, String locationId, int kmEast) {
        web.put().uri("/api/master/locations/{id}", locationId).headers(h -> h.setBearerAuth(hq()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("""
                        {"name": "Warehouse %s", "kind": "REGIONAL_WAREHOUSE", "regionCode": "310115",
                         "latitude": 31.2, "longitude": %s, "dealerId": null, "safetyStockUnits": 0}"""
                        .formatted(locationId, 121.4 + kmEast * 0.01))
                .exchange().expectStatus().isOk();
    }

    private WebTestClient.ResponseSpec post(WebTestClient web, String path, String body) {
        return web.post().uri(path).headers(h -> h.setBearerAuth(hq())).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body).exchange();
    }

    private String hq() {
        return identityProvider.token(new Caller("hq-transfers", Role.HQ, List.of(), null, null, List.of()));
    }
}
