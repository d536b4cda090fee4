package io.channelstream.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.channelstream.api.inventory.StockReadRoute;
import io.channelstream.api.kafka.EventPublisher;
import io.channelstream.api.security.Caller;
import io.channelstream.api.security.Role;
import io.channelstream.api.support.ApiIntegrationTest;
import io.channelstream.api.trace.TraceCodes;
import io.channelstream.api.trace.TraceLookupRoute;
import io.channelstream.events.CaseUnit;
import io.channelstream.events.Pallet;
import io.channelstream.events.ShipmentDispatched;
import io.channelstream.schemas.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

/**
 * The lean paths of the hot GETs (stock read, public trace lookup) answer exactly as the full stack (security
 * chain, annotated controller, error handler) does: the same status, body and headers, for allowed reads,
 * 401, 403, 404 and bad input. Each request is made twice in the same application, once with the lean paths
 * off and once on, and the two answers are compared whole.
 */
class LeanReadsEquivalenceTest extends ApiIntegrationTest {

    @Autowired
    StockReadRoute stockRoute;

    @Autowired
    TraceLookupRoute traceRoute;

    @Autowired
    EventPublisher publisher;

    @Autowired
    MeterRegistry meters;

    private String depot;
    private String otherDealersDepot;
    private String sku;
    private String itemPath;

    /** An answer as a client sees it; the rate-limit countdown is a per-request value, kept as present or not. */
    record Answer(int status, Map<String, List<String>> headers, String body) {

        static Answer of(EntityExchangeResult<byte[]> result) {
            Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            result.getResponseHeaders().forEach((name, values) -> headers.put(name,
                    name.equalsIgnoreCase("RateLimit-Remaining") ? List.of("(counts down)") : values));
            byte[] body = result.getResponseBody();
            return new Answer(result.getStatus().value(), headers,
                    body == null ? "" : new String(body, StandardCharsets.UTF_8));
        }
    }

    @BeforeEach
    void aDealerDepotWithStockAndAShippedTin() {
        awaitInventoryRunning();
        depot = unique("DL-GZ");
        otherDealersDepot = unique("DL-SH");
        sku = unique("SKU-LEAN");
        putLocation(depot, "440106", "D-LEAN-GZ");
        putLocation(otherDealersDepot, "310115", "D-LEAN-SH");
        putProduct(sku);
        web.post().uri("/api/stock-movements").headers(h -> h.setBearerAuth(hqToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("""
                        {"locationId": "%s", "sku": "%s", "batch": "B1", "kind": "RECEIPT", "quantity": 40,
                         "productionDate": "2026-01-10", "expiryDate": "2027-07-10"}""".formatted(depot, sku))
                .exchange().expectStatus().isAccepted();
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> new String(web.get()
                .uri("/api/locations/{l}/stock/{s}", depot, sku).headers(h -> h.setBearerAuth(hqToken()))
                .exchange().expectBody().returnResult().getResponseBodyContent(), StandardCharsets.UTF_8)
                .contains("\"onHand\":40"));

        String first12 = "69" + String.format("%010d", ThreadLocalRandom.current().nextLong(10_000_000_000L));
        String gtin = "0" + first12 + TraceCodes.checkDigit("0" + first12);
        String batch = "LEAN" + ThreadLocalRandom.current().nextInt(100_000);
        itemPath = "/01/" + gtin + "/10/" + batch + "/21/S1";
        publisher.publish(Topics.SHIPMENTS, "SH-" + batch, ShipmentDispatched.newBuilder()
                .setEventId(UUID.randomUUID().toString()).setOccurredAt(Instant.now()).setSource("test")
                .setShipmentId("SH-" + batch).setFromLocationId(otherDealersDepot).setToLocationId(depot)
                .setLines(List.of())
                .setPallets(List.of(Pallet.newBuilder().setPalletCode("P-" + batch).setCases(List.of(
                        CaseUnit.newBuilder().setCaseCode("C-" + batch).setSku(sku).setBatch(batch)
                                .setItemCodes(List.of("https://brand.example" + itemPath)).build())).build()))
                .build()).block(Duration.ofSeconds(30));
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> web.get().uri(itemPath).exchange().returnResult(String.class).getStatus().value() == 200);
    }

    @AfterEach
    void leanPathsOnAgain() {
        stockRoute.enabled(true);
        traceRoute.enabled(true);
    }

    @Test
    void stockReadsAnswerTheSameOnBothPaths() {
        String dealer = dealerToken("D-LEAN-GZ");
        String partner = tokens.issue(new Caller("wms-lean", Role.PARTNER, List.of("44"), null, "P-LEAN",
                List.of()));

        Answer allowed = sameOnBothPaths("/api/locations/" + depot + "/stock/" + sku, bearer(dealer), true);
        assertThat(allowed.status()).isEqualTo(200);
        assertThat(allowed.body()).contains("\"onHand\":40", "\"batch\":\"B1\"", "\"expiryDate\":\"2027-07-10\"");
        assertThat(allowed.headers()).containsKeys("X-Content-Type-Options", "Cache-Control", "Content-Length");

        assertThat(sameOnBothPaths("/api/locations/" + depot + "/stock/" + sku, bearer(managerToken("44")), true)
                .status()).isEqualTo(200);
        assertThat(sameOnBothPaths("/api/locations/" + depot + "/stock/" + sku, bearer(partner), true)
                .headers()).containsKey("RateLimit-Remaining");
        assertThat(sameOnBothPaths("/api/locations/" + depot + "/stock/" + sku + "?acceptStale=true", bearer(hqToken()),
                true).status()).isEqualTo(200);
        assertThat(sameOnBothPaths("/api/locations/" + depot + "/stock/" + sku, h -> {
            h.setBearerAuth(dealer);
            h.set("X-Channelstream-Forwarded", "true");
        }, true).status()).isEqualTo(200);
        assertThat(sameOnBothPaths("/api/locations/" + depot + "/stock/SKU-NEVER-HELD", bearer(dealer), true)
                .body()).contains("\"onHand\":0", "\"batches\":[]");

        Answer forbidden = sameOnBothPaths("/api/locations/" + otherDealersDepot + "/stock/" + sku, bearer(dealer),
                true);
        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(forbidden.body()).contains("you may not see location " + otherDealersDepot);

        Answer unknown = sameOnBothPaths("/api/locations/NO-SUCH-PLACE/stock/" + sku, bearer(dealer), true);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.body()).contains("unknown location 'NO-SUCH-PLACE'");

        // left to the full path, and still the same answers
        assertThat(sameOnBothPaths("/api/locations/" + depot + "/stock/" + sku, h -> { }, false).status())
                .isEqualTo(401);
        String forged = dealer.substring(0, dealer.lastIndexOf('.') + 1) + "c2lnbmF0dXJl";
        Answer refused = sameOnBothPaths("/api/locations/" + depot + "/stock/" + sku, bearer(forged), false);
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.headers()).containsKey(HttpHeaders.WWW_AUTHENTICATE);
        assertThat(sameOnBothPaths("/api/locations/" + depot + "/stock/" + sku + "?acceptStale=perhaps",
                bearer(dealer), false).status()).isEqualTo(400);
    }

    @Test
    void publicTraceLookupsAnswerTheSameOnBothPaths() {
        Answer byLink = sameOnBothPaths(itemPath, h -> { }, true);
        assertThat(byLink.status()).isEqualTo(200);
        assertThat(byLink.body()).contains("\"unitLevel\":\"ITEM\"", "\"kind\":\"SHIPPED\"")
                .doesNotContain(depot, otherDealersDepot, "D-LEAN");
        assertThat(sameOnBothPaths("/api/public/trace" + itemPath + "?regionCode=440106&latitude=23.1&longitude=113.3",
                h -> { }, true).body()).isEqualTo(byLink.body());
        assertThat(sameOnBothPaths("/api/public/trace?code=https://brand.example" + itemPath, h -> { }, true).body())
                .isEqualTo(byLink.body());

        Answer unknown = sameOnBothPaths("/api/public/trace?code=NOT-OURS-" + UUID.randomUUID(), h -> { }, true);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.body()).contains("may not be genuine");
        Answer badGtin = sameOnBothPaths("/01/12345678901/10/B/21/S", h -> { }, true);
        assertThat(badGtin.status()).isEqualTo(400);
        assertThat(badGtin.body()).contains("\"field\":\"gtin\"");
        assertThat(sameOnBothPaths(itemPath + "?regionCode=999999", h -> { }, true).body())
                .contains("\"field\":\"regionCode\"");
        assertThat(sameOnBothPaths(itemPath + "?latitude=95", h -> { }, true).body())
                .contains("\"field\":\"latitude\"");

        // left to the full path, and still the same answers
        assertThat(sameOnBothPaths("/api/public/trace", h -> { }, false).status()).isEqualTo(400);
        assertThat(sameOnBothPaths(itemPath + "?latitude=north", h -> { }, false).status()).isEqualTo(400);
        assertThat(sameOnBothPaths(itemPath, h -> h.setBearerAuth("not-a-token"), false).status()).isEqualTo(401);
    }

    private static Consumer<HttpHeaders> bearer(String token) {
        return h -> h.setBearerAuth(token);
    }

    /**
     * The answer of the full path, then of the lean one, compared whole; and whether the lean path answered
     * that request itself or left it to the full path, as expected. The full path goes first, so a token's
     * verification is remembered as it would be in use. A 429 of the public rate limit (20 a second per address)
     * is not an answer to compare: the pair is asked again in the next window.
     */
    private Answer sameOnBothPaths(String uri, Consumer<HttpHeaders> headers, boolean leanExpected) {
        for (int attempt = 0; ; attempt++) {
            stockRoute.enabled(false);
            traceRoute.enabled(false);
            Answer full = get(uri, headers);
            stockRoute.enabled(true);
            traceRoute.enabled(true);
            double answeredBefore = answered("stock") + answered("trace");
            Answer lean = get(uri, headers);
            double answeredLean = answered("stock") + answered("trace") - answeredBefore;
            if ((full.status() == 429 || lean.status() == 429) && attempt < 5) {
                pauseForTheNextRateLimitWindow();
                continue;
            }
            assertThat(lean).as("lean answer to " + uri).isEqualTo(full);
            assertThat(answeredLean).as("requests to " + uri + " the lean path answered itself")
                    .isEqualTo(leanExpected ? 1.0 : 0.0);
            return full;
        }
    }

    private Answer get(String uri, Consumer<HttpHeaders> headers) {
        return Answer.of(web.get().uri(uri).headers(headers).exchange().expectBody().returnResult());
    }

    private double answered(String route) {
        return meters.counter("channelstream.lean_reads", "route", route).count();
    }

    private static void pauseForTheNextRateLimitWindow() {
        try {
            Thread.sleep(1_100); // the rate limit's window is one second; nothing else is waited for here
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
