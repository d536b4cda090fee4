package io.channelstream.api.diversion;

import static org.assertj.core.api.Assertions.assertThat;

import io.channelstream.api.security.Caller;
import io.channelstream.api.security.Role;
import io.channelstream.api.support.RoutingInstances;
import io.channelstream.api.support.TestIdentityProvider;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
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
 * Two instances share the diversion topology's partitions: a code's trail is answered from whichever
 * instance owns the code, asked through either, by one routed call.
 */
class DiversionTwoInstanceRoutingTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String GTIN = "06901234567892";

    private final TestIdentityProvider identityProvider = new TestIdentityProvider();
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final RoutingInstances instances =
            new RoutingInstances(identityProvider, "diversion-routing-" + run, DiversionApiConfig.TOPOLOGY);

    @AfterEach
    void stopInstances() {
        instances.close();
    }

    @Test
    void aCodesTrailIsServedByItsOwnerWhicheverInstanceIsAsked() throws Exception {
        ConfigurableApplicationContext first = start();
        ConfigurableApplicationContext second = start("--channelstream.schema-registry.url=http://"
                + hostOf(first) + "/schema-registry");
        awaitBothRunning(first, second);
        WebTestClient viaFirst = client(first);
        WebTestClient viaSecond = client(second);

        String dealer = "D-RT-" + run;
        String depot = "DL-RT-" + run;
        String warehouse = "WH-RT-" + run;
        viaFirst.put().uri("/api/master/dealers/{id}", dealer).headers(h -> h.setBearerAuth(hqToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("""
                        {"name": "Routing dealer", "tier": 1, "authorizedRegionCodes": ["44"],
                         "effectiveFrom": "2026-01-01T00:00:00Z"}""")
                .exchange().expectStatus().isOk();
        putLocation(viaFirst, depot, "440106", "\"" + dealer + "\"");
        putLocation(viaFirst, warehouse, "440113", "null");
        List<String> codes = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            codes.add("https://qr.brand.test/01/" + GTIN + "/21/RT" + i + "-" + run);
        }
        viaFirst.post().uri("/api/shipments").headers(h -> h.setBearerAuth(hqToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("""
                        {"shipmentId": "SHP-RT-%s", "fromLocationId": "%s", "toLocationId": "%s",
                         "lines": [{"sku": "SKU-RT", "batch": "B1", "quantity": 12}],
                         "looseCases": [{"caseCode": "CASE-RT-%s", "sku": "SKU-RT", "batch": "B1",
                                         "itemCodes": %s}],
                         "occurredAt": "%s"}
                        """.formatted(run, warehouse, depot, run, JSON.writeValueAsString(codes),
                        Instant.now().minus(Duration.ofHours(1))))
                .exchange().expectStatus().isAccepted();

        Set<String> answeringInstances = new HashSet<>();
        for (String code : codes) {
            CodeTrailView fromFirst = awaitBound(viaFirst, code);
            CodeTrailView fromSecond = awaitBound(viaSecond, code);
            assertThat(fromFirst.servedBy()).isEqualTo(fromSecond.servedBy());
            assertThat(fromSecond.bindings()).singleElement()
                    .satisfies(binding -> assertThat(binding.dealerId()).isEqualTo(dealer));
            answeringInstances.add(fromFirst.servedBy());
        }
        assertThat(answeringInstances).as("both instances own some codes")
                .containsExactlyInAnyOrder(hostOf(first), hostOf(second));
    }

    private ConfigurableApplicationContext start(String... extraArgs) throws Exception {
        return instances.start(extraArgs);
    }

    private void awaitBothRunning(ConfigurableApplicationContext... contexts) {
        instances.awaitRunning(Duration.ofSeconds(120), contexts);
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

    private void putLocation(WebTestClient web, String location, String region, String dealerJson) {
        web.put().uri("/api/master/locations/{id}", location)
                .headers(h -> h.setBearerAuth(hqToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("""
                        {"name": "Routing %s", "kind": "DEALER", "regionCode": "%s",
                         "latitude": 23.1, "longitude": 113.3, "dealerId": %s}
                        """.formatted(location, region, dealerJson))
                .exchange()
                .expectStatus().isOk();
    }

    /** Polls until the code is bound; 503 + Retry-After while a rebalance runs, 404 before the binding lands. */
    private CodeTrailView awaitBound(WebTestClient web, String code) {
        CodeTrailView[] last = new CodeTrailView[1];
        Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).until(() -> {
            EntityExchangeResult<String> result = web.get()
                    .uri(b -> b.path("/api/diversion/codes").queryParam("code", "{code}").build(code))
                    .headers(h -> h.setBearerAuth(hqToken()))
                    .exchange()
                    .expectBody(String.class).returnResult();
            int status = result.getStatus().value();
            if (status == 503) {
                assertThat(result.getResponseHeaders().getFirst("Retry-After")).isNotBlank();
                return false;
            }
            if (status == 404) {
                return false;
            }
            assertThat(status).as("status for %s: %s", code, result.getResponseBody()).isEqualTo(200);
            last[0] = JSON.readValue(result.getResponseBody(), CodeTrailView.class);
            return last[0].bound();
        });
        return last[0];
    }
}
