package io.channelstream.api.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import io.channelstream.api.security.Caller;
import io.channelstream.api.security.Role;
import io.channelstream.api.streams.TopologyRunner;
import io.channelstream.api.support.RoutingInstances;
import io.channelstream.api.support.TestIdentityProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * Two instances of the same application share the inventory topology's partitions. Each answers
 * for every location: its own from its store, the other's by one routed call. When one stops, the
 * other takes its partitions over (restoring from the changelog) and keeps answering.
 */
class TwoInstanceRoutingTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final TestIdentityProvider identityProvider = new TestIdentityProvider();
    private final String applicationIdPrefix = "routing-" + UUID.randomUUID().toString().substring(0, 8);
    private final RoutingInstances instances =
            new RoutingInstances(identityProvider, applicationIdPrefix, TopologyRunner.INVENTORY);

    @AfterEach
    void stopInstances() {
        instances.close();
    }

    @Test
    void eachInstanceAnswersForKeysTheOtherOwnsAndTheSurvivorTakesOver() throws Exception {
        ConfigurableApplicationContext first = start();
        // one schema registry for the deployment: the second instance uses the first one's, as
        // production instances all use the one external registry
        ConfigurableApplicationContext second = start("--channelstream.schema-registry.url=http://"
                + hostOf(first) + "/schema-registry");
        awaitBothRunning(first, second);
        WebTestClient viaFirst = client(first);
        WebTestClient viaSecond = client(second);

        putProduct(viaFirst, "SKU-RT");
        Map<String, Integer> onHandByLocation = new HashMap<>();
        for (int i = 0; i < 12; i++) {
            String location = "DL-RT-" + i + "-" + applicationIdPrefix;
            putLocation(viaFirst, location);
            post(viaFirst, location, 10 + i);
            onHandByLocation.put(location, 10 + i);
        }

        Set<String> answeringInstances = new HashSet<>();
        for (Map.Entry<String, Integer> expected : onHandByLocation.entrySet()) {
            StockLevelView fromFirst = awaitOnHand(viaFirst, expected.getKey(), expected.getValue());
            StockLevelView fromSecond = awaitOnHand(viaSecond, expected.getKey(), expected.getValue());
            // whichever instance is asked, the owner's store answers
            assertThat(fromFirst.servedBy()).isEqualTo(fromSecond.servedBy());
            answeringInstances.add(fromFirst.servedBy());
        }
        assertThat(answeringInstances).as("both instances own some locations")
                .containsExactlyInAnyOrder(hostOf(first), hostOf(second));

        instances.stop(second);

        for (Map.Entry<String, Integer> expected : onHandByLocation.entrySet()) {
            StockLevelView afterTakeOver = awaitOnHand(viaFirst, expected.getKey(), expected.getValue());
            assertThat(afterTakeOver.servedBy()).isEqualTo(hostOf(first));
        }
    }

    @Test
    void theNetworkViewGathersEveryInstancesShareAndSaysWhenItIsIncomplete() throws Exception {
        ConfigurableApplicationContext first = start();
        ConfigurableApplicationContext second = start("--channelstream.schema-registry.url=http://"
                + hostOf(first) + "/schema-registry");
        awaitBothRunning(first, second);
        WebTestClient viaFirst = client(first);
        WebTestClient viaSecond = client(second);
        String sku = "SKU-NET-" + applicationIdPrefix;
        putProduct(viaFirst, sku);
        List<String> locations = new ArrayList<>();
        long onHand = 0;
        for (int i = 0; i < 12; i++) {
            String location = "DL-NET-" + applicationIdPrefix + "-" + (char) ('a' + i);
            putLocation(viaFirst, location);
            post(viaFirst, location, sku, 10 + i);
            locations.add(location);
            onHand += 10 + i;
        }
        long expectedOnHand = onHand;

        NetworkViews.NetworkPage fromFirst = awaitNetwork(viaFirst, sku, "", page -> page.complete()
                && page.totals().onHand() == expectedOnHand);
        NetworkViews.NetworkPage fromSecond = awaitNetwork(viaSecond, sku, "", page -> page.complete()
                && page.totals().onHand() == expectedOnHand);
        assertThat(ids(fromFirst)).as("every location, in id order").containsExactlyElementsOf(locations);
        assertThat(fromSecond.items()).isEqualTo(fromFirst.items());
        assertThat(fromFirst.servedBy()).as("both instances contributed their partitions")
                .containsExactlyInAnyOrder(hostOf(first), hostOf(second));

        // pages follow each other whichever instance is asked for the next one
        NetworkViews.NetworkPage page1 = awaitNetwork(viaFirst, sku, "&limit=5", NetworkViews.NetworkPage::complete);
        NetworkViews.NetworkPage page2 = awaitNetwork(viaSecond, sku, "&limit=5&cursor=" + page1.nextCursor(),
                NetworkViews.NetworkPage::complete);
        NetworkViews.NetworkPage page3 = awaitNetwork(viaFirst, sku, "&limit=5&cursor=" + page2.nextCursor(),
                NetworkViews.NetworkPage::complete);
        List<String> paged = new ArrayList<>(ids(page1));
        paged.addAll(ids(page2));
        paged.addAll(ids(page3));
        assertThat(paged).containsExactlyElementsOf(locations);
        assertThat(page3.nextCursor()).isNull();
        assertThat(List.of(page1.total(), page2.total(), page3.total())).containsOnly(12L);

        instances.stop(second);

        // while the survivor takes the partitions over: a 503 with Retry-After, or, when asked for it, a
        // partial answer that names what is missing; never an incomplete answer passed off as whole
        NetworkViews.NetworkPage after = awaitNetwork(viaFirst, sku, "&acceptPartial=true", page -> {
            if (!page.complete()) {
                assertThat(page.missingPartitions()).isNotEmpty();
                assertThat(page.totals().onHand()).isLessThanOrEqualTo(expectedOnHand);
            }
            return page.complete();
        });
        assertThat(ids(after)).containsExactlyElementsOf(locations);
        assertThat(after.servedBy()).containsExactly(hostOf(first));
    }

    private static List<String> ids(NetworkViews.NetworkPage page) {
        return page.items().stream().map(NetworkViews.LocationStockView::locationId).toList();
    }

    /** Polls the network view; a 503 must carry Retry-After, a 200 must be complete unless partial was asked. */
    private NetworkViews.NetworkPage awaitNetwork(WebTestClient web, String sku, String query,
                                                  java.util.function.Predicate<NetworkViews.NetworkPage> done) {
        NetworkViews.NetworkPage[] last = new NetworkViews.NetworkPage[1];
        Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> {
            EntityExchangeResult<String> result = web.get()
                    .uri("/api/network/stock/{s}?region=44" + query, sku)
                    .headers(h -> h.setBearerAuth(hqToken()))
                    .exchange()
                    .expectBody(String.class).returnResult();
            if (result.getStatus().value() == 503) {
                assertThat(result.getResponseHeaders().getFirst("Retry-After")).isNotBlank();
                return false;
            }
            assertThat(result.getStatus().value()).as("network view: %s", result.getResponseBody()).isEqualTo(200);
            last[0] = JSON.readValue(result.getResponseBody(), NetworkViews.NetworkPage.class);
            if (!query.contains("acceptPartial")) {
                assertThat(last[0].complete()).isTrue();
            }
            return done.test(last[0]);
        });
        return last[0];
    }

    private void putProduct(WebTestClient web, String sku) {
        web.put().uri("/api/master/products/{sku}", sku)
                .headers(h -> h.setBearerAuth(hqToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(io.channelstream.api.support.ApiIntegrationTest.productJson(sku))
                .exchange()
                .expectStatus().isOk();
    }

    private ConfigurableApplicationContext start(String... extraArgs) throws Exception {
        return instances.start(extraArgs);
    }

    private void awaitBothRunning(ConfigurableApplicationContext... contexts) {
        instances.awaitRunning(Duration.ofSeconds(90), contexts);
    }

    private String hqToken() {
        return identityProvider.token(new Caller("hq-routing", Role.HQ, List.of(), null, null, List.of()));
    }

    private static String hostOf(ConfigurableApplicationContext context) {
        return RoutingInstances.hostOf(context);
    }

    private static WebTestClient client(ConfigurableApplicationContext context) {
        return RoutingInstances.client(context);
    }

    private void putLocation(WebTestClient web, String location) {
        web.put().uri("/api/master/locations/{id}", location)
                .headers(h -> h.setBearerAuth(hqToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("""
                        {"name": "Routing test %s", "kind": "DEALER", "regionCode": "440106",
                         "latitude": 23.1, "longitude": 113.3, "dealerId": "D-RT"}
                        """.formatted(location))
                .exchange()
                .expectStatus().isOk();
    }

    private void post(WebTestClient web, String location, int quantity) {
        post(web, location, "SKU-RT", quantity);
    }

    private void post(WebTestClient web, String location, String sku, int quantity) {
        web.post().uri("/api/stock-movements")
                .headers(h -> h.setBearerAuth(hqToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("""
                        {"locationId": "%s", "sku": "%s", "batch": "B1", "kind": "RECEIPT", "quantity": %d}
                        """.formatted(location, sku, quantity))
                .exchange()
                .expectStatus().isAccepted();
    }

    /** Polls until the expected quantity is served; 503 + Retry-After while a rebalance runs is allowed. */
    private StockLevelView awaitOnHand(WebTestClient web, String location, long onHand) {
        StockLevelView[] last = new StockLevelView[1];
        Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).until(() -> {
            EntityExchangeResult<String> result = web.get()
                    .uri("/api/locations/{l}/stock/{s}", location, "SKU-RT")
                    .headers(h -> h.setBearerAuth(hqToken()))
                    .exchange()
                    .expectBody(String.class).returnResult();
            if (result.getStatus().value() == 503) {
                assertThat(result.getResponseHeaders().getFirst("Retry-After")).isNotBlank();
                return false;
            }
            assertThat(result.getStatus().value()).as("status for %s: %s", location, result.getResponseBody())
                    .isEqualTo(200);
            last[0] = JSON.readValue(result.getResponseBody(), StockLevelView.class);
            return last[0] != null && last[0].onHand() == onHand;
        });
        return last[0];
    }
}
