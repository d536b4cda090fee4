package io.channelstream.api.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.channelstream.api.kafka.EventPublisher;
import io.channelstream.api.support.ApiIntegrationTest;
import io.channelstream.events.CaseUnit;
import io.channelstream.events.ScanRecorded;
import io.channelstream.events.ScannerRole;
import io.channelstream.events.ShipmentDispatched;
import io.channelstream.events.ShipmentLine;
import io.channelstream.schemas.Topics;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * A batch recall in one request: the batch is locked everywhere, and the answer says where every unit of
 * it is (held stock per location, and every shipped code with its last known place); release undoes it.
 */
class RecallTest extends ApiIntegrationTest {

    private static final String BATCH = "B-RECALL";

    @Autowired
    EventPublisher publisher;

    private String sku;
    private String warehouse;
    private String depot;
    private String store;
    private String caseCode;
    private String soldItem;
    private String shelvedItem;

    @BeforeEach
    void aBatchInTwoPlacesWithSomeOfItShipped() {
        awaitInventoryRunning();
        sku = unique("SKU-RC");
        putProduct(sku);
        String run = unique("RC");
        warehouse = run + "-A-WH";
        depot = run + "-B-DL";
        store = run + "-C-ST";
        putLocation(warehouse, "110105", null);
        putLocation(depot, "440106", "D-RC");
        putLocation(store, "310115", "D-RC-SH");
        movement(warehouse, BATCH, "RECEIPT", 100).expectStatus().isAccepted();
        movement(depot, BATCH, "RECEIPT", 40).expectStatus().isAccepted();
        movement(depot, "B-FINE", "RECEIPT", 10).expectStatus().isAccepted();

        caseCode = "CASE-" + run;
        soldItem = "ITEM-" + run + "-1";
        shelvedItem = "ITEM-" + run + "-2";
        Instant shipped = Instant.now().minus(2, ChronoUnit.DAYS).truncatedTo(ChronoUnit.MILLIS);
        publisher.publish(Topics.SHIPMENTS, "SH-" + run, ShipmentDispatched.newBuilder()
                .setEventId(UUID.randomUUID().toString()).setOccurredAt(shipped).setSource("wms")
                .setShipmentId("SH-" + run).setFromLocationId(warehouse).setToLocationId(depot).setToDealerId("D-RC")
                .setLines(List.of(ShipmentLine.newBuilder().setSku(sku).setBatch(BATCH).setQuantity(2).build()))
                .setPallets(List.of())
                .setLooseCases(List.of(CaseUnit.newBuilder().setCaseCode(caseCode).setSku(sku).setBatch(BATCH)
                        .setItemCodes(List.of(soldItem, shelvedItem)).build()))
                .build()).block(Duration.ofSeconds(30));
        publisher.publish(Topics.SCANS, soldItem, ScanRecorded.newBuilder()
                .setEventId(UUID.randomUUID().toString()).setOccurredAt(shipped.plus(1, ChronoUnit.DAYS))
                .setSource("pos").setCode(soldItem).setPlaceLocationId(store).setScannerRole(ScannerRole.STORE_SALE)
                .setUnitPriceFen(25_900L).build()).block(Duration.ofSeconds(30));

        // the warehouse sent 2 of its 100; the trace projection knows the case and both items
        awaitRecall(view -> view.totals().onHand() == 138 && view.codesTotal() == 3
                && view.shippedCodes().stream().anyMatch(code -> code.lastKnownPlace() != null
                        && "SCANNED".equals(code.lastKnownPlace().how())));
    }

    @Test
    void lockingListsEveryHoldingBlockedAndEveryShippedCodeWithItsLastKnownPlace() {
        RecallView answer = web.post().uri("/api/batches/{sku}/{batch}/lock", sku, BATCH)
                .headers(h -> h.setBearerAuth(hqToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"reason\": \"vitamin D content out of specification\"}")
                .exchange()
                .expectStatus().isAccepted()
                .expectBody(RecallView.class).returnResult().getResponseBody();

        assertThat(answer.locked()).isTrue();
        assertThat(answer.eventId()).isNotBlank();
        assertThat(answer.complete()).isTrue();
        assertThat(answer.holdings()).extracting(NetworkViews.HoldingView::locationId, NetworkViews.HoldingView::onHand,
                        NetworkViews.HoldingView::reserved, NetworkViews.HoldingView::blocked,
                        NetworkViews.HoldingView::available)
                .containsExactly(tuple(warehouse, 98L, 0L, 98L, 0L), tuple(depot, 40L, 0L, 40L, 0L));
        assertThat(answer.codesTotal()).isEqualTo(3);
        assertThat(answer.shippedCodes()).extracting(RecallView.ShippedCode::code, RecallView.ShippedCode::unitLevel,
                        code -> code.lastKnownPlace().how(), code -> code.lastKnownPlace().locationId(),
                        code -> code.lastKnownPlace().regionCode())
                .containsExactly(
                        tuple(caseCode, "CASE", "SHIPPED_TO", depot, "440106"),
                        tuple(soldItem, "ITEM", "SCANNED", store, "310115"),
                        tuple(shelvedItem, "ITEM", "SHIPPED_TO", depot, "440106"));
        assertThat(answer.shippedCodes().get(1).lastKnownPlace().scannerRole()).isEqualTo("STORE_SALE");
        assertThat(answer.shippedCodes()).allSatisfy(code -> assertThat(code.shippedFrom()).isEqualTo(warehouse));

        // the lock holds everywhere: reads show it, and stock may not leave the batch
        RecallView locked = awaitRecall(RecallView::locked);
        assertThat(locked.holdings()).extracting(NetworkViews.HoldingView::available).containsOnly(0L);
        movement(depot, BATCH, "SALE", 1)
                .expectStatus().isEqualTo(409)
                .expectBody()
                .jsonPath("$.fields[0].field").isEqualTo("batch")
                .jsonPath("$.fields[0].reason").value(reason -> assertThat((String) reason)
                        .contains("locked for recall").contains("vitamin D content out of specification"));
        // goods coming back into the batch (a return to quarantine) are not refused
        movement(depot, BATCH, "RECEIPT", 1).expectStatus().isAccepted();
        // other batches of the SKU are untouched
        movement(depot, "B-FINE", "SALE", 1).expectStatus().isAccepted();
    }

    @Test
    void releaseUndoesTheLock() {
        web.post().uri("/api/batches/{sku}/{batch}/lock", sku, BATCH)
                .headers(h -> h.setBearerAuth(hqToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"reason\": \"retest\"}")
                .exchange().expectStatus().isAccepted();
        awaitRecall(RecallView::locked);

        RecallView released = web.post().uri("/api/batches/{sku}/{batch}/release", sku, BATCH)
                .headers(h -> h.setBearerAuth(hqToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"reason\": \"retest passed\"}")
                .exchange().expectStatus().isAccepted()
                .expectBody(RecallView.class).returnResult().getResponseBody();
        assertThat(released.locked()).isFalse();

        RecallView after = awaitRecall(view -> !view.locked());
        assertThat(after.holdings()).extracting(NetworkViews.HoldingView::available).containsExactly(98L, 40L);
        movement(depot, BATCH, "SALE", 1).expectStatus().isAccepted();
    }

    @Test
    void onlyHeadquartersLocksOrReadsARecall() {
        web.post().uri("/api/batches/{sku}/{batch}/lock", sku, BATCH)
                .headers(h -> h.setBearerAuth(dealerToken("D-RC")))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"reason\": \"mine\"}")
                .exchange().expectStatus().isForbidden();
        web.get().uri("/api/batches/{sku}/{batch}/recall", sku, BATCH)
                .headers(h -> h.setBearerAuth(managerToken("44")))
                .exchange().expectStatus().isForbidden();
    }

    @Test
    void aLockWithoutAReasonNamesTheField() {
        web.post().uri("/api/batches/{sku}/{batch}/lock", sku, BATCH)
                .headers(h -> h.setBearerAuth(hqToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{}")
                .exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.fields[0].field").isEqualTo("reason");
    }

    private RecallView awaitRecall(java.util.function.Predicate<RecallView> done) {
        AtomicReference<RecallView> last = new AtomicReference<>();
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            var result = web.get().uri("/api/batches/{sku}/{batch}/recall", sku, BATCH)
                    .headers(h -> h.setBearerAuth(hqToken()))
                    .exchange().returnResult(RecallView.class);
            if (result.getStatus().value() == 503) {
                assertThat(result.getResponseHeaders().getFirst("Retry-After")).isNotBlank();
                return false;
            }
            assertThat(result.getStatus().value()).isEqualTo(200);
            last.set(result.getResponseBody().blockFirst());
            return last.get() != null && done.test(last.get());
        });
        return last.get();
    }

    private WebTestClient.ResponseSpec movement(String location, String batch, String kind, int units) {
        return web.post().uri("/api/stock-movements")
                .headers(h -> h.setBearerAuth(hqToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("""
                        {"locationId": "%s", "sku": "%s", "batch": "%s", "kind": "%s", "quantity": %d}
                        """.formatted(location, sku, batch, kind, units))
                .exchange();
    }
}
