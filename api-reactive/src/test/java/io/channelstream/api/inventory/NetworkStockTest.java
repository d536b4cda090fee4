package io.channelstream.api.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import io.channelstream.api.inventory.NetworkViews.LocationStockView;
import io.channelstream.api.inventory.NetworkViews.NetworkPage;
import io.channelstream.api.support.ApiIntegrationTest;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

/**
 * One SKU across the network: every location holding it, in a stable order, paged, filtered by region,
 * and scoped to who asks (HQ all, a regional manager their regions, a dealer its own locations).
 */
class NetworkStockTest extends ApiIntegrationTest {

    private String sku;
    private String guangzhouDepot;
    private String shenzhenDepot;
    private String shanghaiStore;

    @BeforeEach
    void aSkuHeldInGuangdongAndShanghai() {
        awaitInventoryRunning();
        sku = unique("SKU-NET");
        putProduct(sku);
        String run = unique("NET");
        // ids chosen so that id order is A, B, C
        guangzhouDepot = run + "-A-GZ";
        shenzhenDepot = run + "-B-SZ";
        shanghaiStore = run + "-C-SH";
        putLocation(guangzhouDepot, "440106", "D-NET-GZ");
        putLocation(shenzhenDepot, "440304", "D-NET-SZ");
        putLocation(shanghaiStore, "310115", "D-NET-SH");
        receive(guangzhouDepot, "B-OLD", 30, "2027-03-01");
        receive(guangzhouDepot, "B-NEW", 50, "2027-09-01");
        receive(shenzhenDepot, "B-NEW", 20, "2027-09-01");
        receive(shanghaiStore, "B-OLD", 7, "2027-03-01");
        awaitNetworkOnHand(107);
    }

    @Test
    void headquartersSeesEveryLocationInIdOrderWithTotals() {
        NetworkPage page = network("/api/network/stock/{sku}", hqToken());

        assertThat(page.complete()).isTrue();
        assertThat(page.missingPartitions()).isEmpty();
        assertThat(page.total()).isEqualTo(3);
        assertThat(page.items()).extracting(LocationStockView::locationId)
                .containsExactly(guangzhouDepot, shenzhenDepot, shanghaiStore);
        LocationStockView guangzhou = page.items().get(0);
        assertThat(guangzhou.regionCode()).isEqualTo("440106");
        assertThat(guangzhou.onHand()).isEqualTo(80);
        // earliest expiry first within a location
        assertThat(guangzhou.batches()).extracting(NetworkViews.HoldingView::batch).containsExactly("B-OLD", "B-NEW");
        assertThat(page.totals()).isEqualTo(new NetworkViews.Totals(3, 107, 0, 0, 107));
        assertThat(page.nextCursor()).isNull();
    }

    @Test
    void pagesFollowEachOtherWithoutGapsOrRepeats() {
        NetworkPage first = network("/api/network/stock/{sku}?limit=2", hqToken());
        assertThat(first.items()).extracting(LocationStockView::locationId).containsExactly(guangzhouDepot, shenzhenDepot);
        assertThat(first.total()).isEqualTo(3);
        assertThat(first.nextCursor()).isNotNull();

        NetworkPage second = network("/api/network/stock/{sku}?limit=2&cursor=" + first.nextCursor(), hqToken());
        assertThat(second.items()).extracting(LocationStockView::locationId).containsExactly(shanghaiStore);
        assertThat(second.total()).isEqualTo(3);
        assertThat(second.nextCursor()).isNull();
    }

    @Test
    void aRegionFilterKeepsTheLocationsInsideIt() {
        NetworkPage guangdong = network("/api/network/stock/{sku}?region=44", hqToken());
        assertThat(guangdong.items()).extracting(LocationStockView::locationId)
                .containsExactly(guangzhouDepot, shenzhenDepot);
        assertThat(guangdong.totals().onHand()).isEqualTo(100);

        NetworkPage shenzhenCity = network("/api/network/stock/{sku}?region=4403", hqToken());
        assertThat(shenzhenCity.items()).extracting(LocationStockView::locationId).containsExactly(shenzhenDepot);
    }

    @Test
    void oneBatchAcrossTheNetworkIsWhereItIsNow() {
        NetworkPage batch = web.get().uri("/api/network/batches/{sku}/{batch}", sku, "B-OLD")
                .headers(h -> h.setBearerAuth(hqToken()))
                .exchange().expectStatus().isOk()
                .expectBody(NetworkPage.class).returnResult().getResponseBody();

        assertThat(batch.items()).extracting(LocationStockView::locationId, LocationStockView::onHand)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(guangzhouDepot, 30L),
                        org.assertj.core.groups.Tuple.tuple(shanghaiStore, 7L));
        assertThat(batch.items()).flatExtracting(LocationStockView::batches)
                .extracting(NetworkViews.HoldingView::batch).containsOnly("B-OLD");
    }

    @Test
    void aRegionalManagerSeesOnlyTheirRegions() {
        NetworkPage page = network("/api/network/stock/{sku}", managerToken("44"));
        assertThat(page.items()).extracting(LocationStockView::locationId)
                .containsExactly(guangzhouDepot, shenzhenDepot);
        assertThat(page.total()).isEqualTo(2);

        web.get().uri("/api/network/stock/{sku}?region=31", sku)
                .headers(h -> h.setBearerAuth(managerToken("44")))
                .exchange().expectStatus().isForbidden();
    }

    @Test
    void aDealerSeesItsOwnLocationsOnly() {
        NetworkPage page = network("/api/network/stock/{sku}", dealerToken("D-NET-SZ"));
        assertThat(page.items()).extracting(LocationStockView::locationId).containsExactly(shenzhenDepot);
        assertThat(page.totals().onHand()).isEqualTo(20);
    }

    @Test
    void aDealerAskingBeyondItsOwnLocationsIsRefused() {
        web.get().uri("/api/network/stock/{sku}?region=44", sku)
                .headers(h -> h.setBearerAuth(dealerToken("D-NET-SZ")))
                .exchange().expectStatus().isForbidden();
        web.get().uri("/api/network/stock/{sku}?dealerId=D-NET-GZ", sku)
                .headers(h -> h.setBearerAuth(dealerToken("D-NET-SZ")))
                .exchange().expectStatus().isForbidden();
    }

    @Test
    void badFiltersAreNamed() {
        web.get().uri("/api/network/stock/{sku}?region=999999", sku)
                .headers(h -> h.setBearerAuth(hqToken()))
                .exchange().expectStatus().isEqualTo(422)
                .expectBody().jsonPath("$.fields[0].field").isEqualTo("region");
        web.get().uri("/api/network/stock/{sku}?limit=0", sku)
                .headers(h -> h.setBearerAuth(hqToken()))
                .exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.fields[0].field").isEqualTo("limit");
    }

    private NetworkPage network(String uri, String token) {
        return web.get().uri(uri, sku)
                .headers(h -> h.setBearerAuth(token))
                .exchange().expectStatus().isOk()
                .expectBody(NetworkPage.class).returnResult().getResponseBody();
    }

    private void awaitNetworkOnHand(long onHand) {
        AtomicReference<NetworkPage> last = new AtomicReference<>();
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            var result = web.get().uri("/api/network/stock/{sku}", sku)
                    .headers(h -> h.setBearerAuth(hqToken()))
                    .exchange().returnResult(NetworkPage.class);
            if (result.getStatus().value() == 503) {
                assertThat(result.getResponseHeaders().getFirst("Retry-After")).isNotBlank();
                return false;
            }
            last.set(result.getResponseBody().blockFirst());
            return last.get() != null && last.get().totals().onHand() == onHand;
        });
    }

    private void receive(String location, String batch, int units, String expiry) {
        web.post().uri("/api/stock-movements")
                .headers(h -> h.setBearerAuth(hqToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("""
                        {"locationId": "%s", "sku": "%s", "batch": "%s", "kind": "RECEIPT", "quantity": %d,
                         "expiryDate": "%s"}""".formatted(location, sku, batch, units, expiry))
                .exchange()
                .expectStatus().isAccepted();
    }
}
