package io.channelstream.api.transfers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.channelstream.api.inventory.StockLevelView;
import io.channelstream.api.support.ApiIntegrationTest;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The transfer workflow through the API on the real broker: a dealer asks, HQ approves, the source dispatches,
 * the destination receives; the stock moves out at dispatch and in at receipt, once, batch kept. Each role may
 * take its own steps only, a step the state does not allow is 409 naming why, bad input names the field.
 */
class TransferFlowTest extends ApiIntegrationTest {

    private String sku;
    private String source;
    private String destination;
    private String sourceDealer;
    private String destinationDealer;

    @BeforeEach
    void stockAtADepotInGuangdongAndAnEmptyOneInShanghai() {
        awaitInventoryRunning();
        sku = unique("SKU-TR");
        putProduct(sku);
        String run = unique("TR");
        sourceDealer = run + "-D-GZ";
        destinationDealer = run + "-D-SH";
        source = run + "-DL-GZ";
        destination = run + "-DL-SH";
        putLocation(source, "440106", sourceDealer);
        putLocation(destination, "310115", destinationDealer);
        receipt(source, "B-LATE", 50, "2027-12-31");
        receipt(source, "B-SOON", 20, "2027-03-31");
        awaitStock(source, level -> level.onHand() == 70);
    }

    @Test
    void aTransferMovesItsStockOutAtDispatchAndInAtReceiptOnce() {
        String transferId = request(dealerToken(destinationDealer), 30).returnResult(TransferService.Accepted.class)
                .getResponseBody().blockFirst().transferId();
        TransferView requested = awaitTransfer(transferId, hqToken(), view -> "REQUESTED".equals(view.status()));
        assertThat(requested.lines()).extracting("sku", "batch", "quantity").containsExactly(tuple(sku, null, 30));
        assertThat(requested.requestedBy()).isEqualTo("dealer-" + destinationDealer);

        command(transferId, "approve", dealerToken(destinationDealer), "{}").expectStatus().isForbidden();
        command(transferId, "approve", hqToken(), "{\"note\": \"ok\"}").expectStatus().isAccepted();
        awaitTransfer(transferId, hqToken(), view -> "APPROVED".equals(view.status()));
        assertThat(stock(source).onHand()).isEqualTo(70); // approval moves nothing

        command(transferId, "dispatch", dealerToken(destinationDealer), "{}").expectStatus().isForbidden();
        command(transferId, "dispatch", hqToken(), "{}").expectStatus().isForbidden(); // a dealer's depot: its dealer
        TransferService.Accepted dispatched = command(transferId, "dispatch", dealerToken(sourceDealer), "{}")
                .expectStatus().isAccepted()
                .returnResult(TransferService.Accepted.class).getResponseBody().blockFirst();
        // no batch was asked for: the earliest expiry leaves first, and a logistics order was made
        assertThat(dispatched.lines()).extracting("batch", "quantity")
                .containsExactly(tuple("B-SOON", 20), tuple("B-LATE", 10));
        assertThat(dispatched.logisticsOrderId()).startsWith("LO-");
        StockLevelView afterDispatch = awaitStock(source, level -> level.onHand() == 40);
        assertThat(afterDispatch.batches()).extracting("batch", "onHand")
                .containsExactlyInAnyOrder(tuple("B-SOON", 0L), tuple("B-LATE", 40L));
        TransferView inTransit = awaitTransfer(transferId, dealerToken(sourceDealer),
                view -> "DISPATCHED".equals(view.status()));
        assertThat(inTransit.dispatch().logisticsOrderId()).isEqualTo(dispatched.logisticsOrderId());

        command(transferId, "receive", dealerToken(sourceDealer), "{}").expectStatus().isForbidden();
        command(transferId, "receive", dealerToken(destinationDealer), "{}").expectStatus().isAccepted();
        StockLevelView received = awaitStock(destination, level -> level.onHand() == 30);
        assertThat(received.batches()).extracting("batch", "onHand", "expiryDate")
                .containsExactly(tuple("B-SOON", 20L, java.time.LocalDate.parse("2027-03-31")),
                        tuple("B-LATE", 10L, java.time.LocalDate.parse("2027-12-31")));
        awaitTransfer(transferId, dealerToken(destinationDealer), view -> "RECEIVED".equals(view.status()));

        // a second receipt is refused, and the units entered once
        command(transferId, "receive", dealerToken(destinationDealer), "{}")
                .expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.fields[0].field").isEqualTo("status")
                .jsonPath("$.fields[0].reason").value(reason -> assertThat((String) reason).contains("already received"));
        assertThat(stock(destination).onHand()).isEqualTo(30);
        assertThat(stock(source).onHand()).isEqualTo(40);
    }

    @Test
    void aRejectedTransferCannotBeApprovedOrDispatched() {
        String transferId = requested(30);
        command(transferId, "reject", hqToken(), "{}").expectStatus().isBadRequest()
                .expectBody().jsonPath("$.fields[0].field").isEqualTo("reason");
        command(transferId, "reject", dealerToken(sourceDealer), "{\"reason\": \"mine\"}").expectStatus().isForbidden();
        command(transferId, "reject", hqToken(), "{\"reason\": \"Shanghai is over-stocked\"}").expectStatus().isAccepted();
        TransferView rejected = awaitTransfer(transferId, managerToken("31"), view -> "REJECTED".equals(view.status()));
        assertThat(rejected.rejectionReason()).isEqualTo("Shanghai is over-stocked");

        command(transferId, "approve", hqToken(), "{}").expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.fields[0].field").isEqualTo("status")
                .jsonPath("$.fields[0].reason").isEqualTo("transfer " + transferId
                        + " is REJECTED: it can be approved only when REQUESTED");
        command(transferId, "dispatch", dealerToken(sourceDealer), "{}").expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.fields[0].reason").value(reason -> assertThat((String) reason)
                        .contains("it can be dispatched only when APPROVED"));
        assertThat(stock(source).onHand()).isEqualTo(70);
    }

    @Test
    void aDispatchShortOfStockOrFromALockedBatchIsRefusedNamingTheLine() {
        String transferId = requested(30);
        command(transferId, "approve", hqToken(), "{}").expectStatus().isAccepted();
        awaitTransfer(transferId, hqToken(), view -> "APPROVED".equals(view.status()));

        command(transferId, "dispatch", dealerToken(sourceDealer), """
                {"lines": [{"sku": "%s", "batch": "B-SOON", "quantity": 25}]}""".formatted(sku))
                .expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.fields[0].field").isEqualTo("lines[0].quantity")
                .jsonPath("$.fields[0].reason").isEqualTo("25 of " + sku + " batch B-SOON wanted, 20 available at "
                        + source + ": short by 5");

        web.post().uri("/api/batches/{sku}/{batch}/lock", sku, "B-SOON")
                .headers(h -> h.setBearerAuth(hqToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"reason\": \"seal defect\"}")
                .exchange().expectStatus().isAccepted();
        // the lock is in this instance's global store once the recall answer says so
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> web.get()
                .uri("/api/batches/{sku}/{batch}/recall", sku, "B-SOON").headers(h -> h.setBearerAuth(hqToken()))
                .exchange().returnResult(String.class).getResponseBody().blockFirst().contains("\"locked\":true"));
        command(transferId, "dispatch", dealerToken(sourceDealer), """
                {"lines": [{"sku": "%s", "batch": "B-SOON", "quantity": 5}]}""".formatted(sku))
                .expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.fields[0].field").isEqualTo("lines[0].batch")
                .jsonPath("$.fields[0].reason").value(reason -> assertThat((String) reason)
                        .contains("locked for recall").contains("seal defect"));
        // what the lock leaves: 50 of B-LATE, so 30 "any batch" units go from there
        TransferService.Accepted dispatched = command(transferId, "dispatch", dealerToken(sourceDealer), "{}")
                .expectStatus().isAccepted()
                .returnResult(TransferService.Accepted.class).getResponseBody().blockFirst();
        assertThat(dispatched.lines()).extracting("batch", "quantity").containsExactly(tuple("B-LATE", 30));
        awaitStock(source, level -> level.onHand() == 40);
    }

    @Test
    void aRetriedDispatchWithTheSameIdempotencyKeyMovesTheStockOnce() {
        String transferId = requested(10);
        command(transferId, "approve", hqToken(), "{}").expectStatus().isAccepted();
        awaitTransfer(transferId, hqToken(), view -> "APPROVED".equals(view.status()));
        String key = unique("dispatch");
        for (int attempt = 0; attempt < 2; attempt++) {
            var answer = web.post().uri("/api/transfers/{id}/dispatch", transferId)
                    .headers(h -> h.setBearerAuth(dealerToken(sourceDealer)))
                    .header("Idempotency-Key", key)
                    .contentType(MediaType.APPLICATION_JSON)
                    .bodyValue("{}")
                    .exchange().expectStatus().isAccepted();
            if (attempt == 1) {
                answer.expectHeader().valueEquals("Idempotent-Replayed", "true");
            }
        }
        awaitTransfer(transferId, hqToken(), view -> "DISPATCHED".equals(view.status()));
        assertThat(awaitStock(source, level -> level.onHand() == 60).onHand()).isEqualTo(60);
        TransferView view = transfer(transferId, hqToken());
        assertThat(view.refusals()).isEmpty();
    }

    @Test
    void badInputIsRefusedNamingTheField() {
        String hq = hqToken();
        post("/api/transfers", hq, """
                {"fromLocationId": "%s", "toLocationId": "%s", "lines": []}""".formatted(source, destination))
                .expectStatus().isBadRequest().expectBody().jsonPath("$.fields[0].field").isEqualTo("lines");
        post("/api/transfers", hq, """
                {"fromLocationId": "%s", "toLocationId": "%s", "lines": [{"sku": "%s", "quantity": -3}]}"""
                .formatted(source, destination, sku))
                .expectStatus().isBadRequest().expectBody().jsonPath("$.fields[0].field").isEqualTo("lines[0].quantity");
        post("/api/transfers", hq, """
                {"fromLocationId": "%s", "toLocationId": "%s", "lines": [{"sku": "%s", "quantity": 3}]}"""
                .formatted(source, source, sku))
                .expectStatus().isBadRequest().expectBody().jsonPath("$.fields[0].field").isEqualTo("toLocationId");
        post("/api/transfers", hq, """
                {"fromLocationId": "NOWHERE-1", "toLocationId": "%s", "lines": [{"sku": "%s", "quantity": 3}]}"""
                .formatted(destination, sku))
                .expectStatus().isEqualTo(422).expectBody().jsonPath("$.fields[0].field").isEqualTo("fromLocationId");
        post("/api/transfers", hq, """
                {"fromLocationId": "%s", "toLocationId": "%s", "lines": [{"sku": "NO-SUCH-SKU", "quantity": 3}]}"""
                .formatted(source, destination))
                .expectStatus().isEqualTo(422).expectBody().jsonPath("$.fields[0].field").isEqualTo("lines[0].sku");
        post("/api/transfers", managerToken("44"), """
                {"fromLocationId": "%s", "toLocationId": "%s", "lines": [{"sku": "%s", "quantity": 3}]}"""
                .formatted(source, destination, sku))
                .expectStatus().isForbidden();
        post("/api/transfers", dealerToken("someone-else"), """
                {"fromLocationId": "%s", "toLocationId": "%s", "lines": [{"sku": "%s", "quantity": 3}]}"""
                .formatted(source, destination, sku))
                .expectStatus().isForbidden();

        String transferId = requested(5);
        post("/api/transfers", hq, """
                {"transferId": "%s", "fromLocationId": "%s", "toLocationId": "%s", "lines": [{"sku": "%s", "quantity": 3}]}"""
                .formatted(transferId, source, destination, sku))
                .expectStatus().isEqualTo(409).expectBody().jsonPath("$.fields[0].field").isEqualTo("transferId");
        command(transferId, "approve", hq, "{}").expectStatus().isAccepted();
        awaitTransfer(transferId, hq, view -> "APPROVED".equals(view.status()));
        command(transferId, "dispatch", dealerToken(sourceDealer), "{\"codes\": [\"https://qr.brand.test/01/06901234567890/21/1\"]}")
                .expectStatus().isBadRequest().expectBody().jsonPath("$.fields[0].field").isEqualTo("codes[0]");
        command(transferId, "dispatch", dealerToken(sourceDealer), """
                {"lines": [{"sku": "%s", "batch": "B-LATE", "quantity": 6}]}""".formatted(sku))
                .expectStatus().isEqualTo(422).expectBody().jsonPath("$.fields[0].field").isEqualTo("lines[0].quantity");
        command("NO-SUCH-TRANSFER", "approve", hq, "{}").expectStatus().isNotFound();
        web.get().uri("/api/transfers/{id}", transferId).headers(h -> h.setBearerAuth(dealerToken("someone-else")))
                .exchange().expectStatus().isForbidden();
    }

    // ------------------------------------------------------------------ helpers

    private String requested(int units) {
        String transferId = request(dealerToken(destinationDealer), units)
                .returnResult(TransferService.Accepted.class).getResponseBody().blockFirst().transferId();
        awaitTransfer(transferId, hqToken(), view -> "REQUESTED".equals(view.status()));
        return transferId;
    }

    private WebTestClient.ResponseSpec request(String token, int units) {
        return post("/api/transfers", token, """
                {"fromLocationId": "%s", "toLocationId": "%s", "lines": [{"sku": "%s", "quantity": %d}]}"""
                .formatted(source, destination, sku, units)).expectStatus().isAccepted();
    }

    private WebTestClient.ResponseSpec command(String transferId, String step, String token, String body) {
        return post("/api/transfers/" + transferId + "/" + step, token, body);
    }

    private WebTestClient.ResponseSpec post(String path, String token, String body) {
        return web.post().uri(path).headers(h -> h.setBearerAuth(token))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    private TransferView transfer(String transferId, String token) {
        return web.get().uri("/api/transfers/{id}", transferId).headers(h -> h.setBearerAuth(token))
                .exchange().expectStatus().isOk().expectBody(TransferView.class).returnResult().getResponseBody();
    }

    /** Polls the transfer's state; a 503 (its partition moving while the topology starts) is waited out. */
    private TransferView awaitTransfer(String transferId, String token, Predicate<TransferView> done) {
        AtomicReference<TransferView> last = new AtomicReference<>();
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
            var result = web.get().uri("/api/transfers/{id}", transferId).headers(h -> h.setBearerAuth(token))
                    .exchange().returnResult(TransferView.class);
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

    private void receipt(String locationId, String batch, int units, String expiry) {
        post("/api/stock-movements", hqToken(), """
                {"locationId": "%s", "sku": "%s", "batch": "%s", "kind": "RECEIPT", "quantity": %d,
                 "productionDate": "2026-01-10", "expiryDate": "%s"}""".formatted(locationId, sku, batch, units, expiry))
                .expectStatus().isAccepted();
    }

    private StockLevelView stock(String locationId) {
        return web.get().uri("/api/locations/{id}/stock/{sku}", locationId, sku).headers(h -> h.setBearerAuth(hqToken()))
                .exchange().expectStatus().isOk().expectBody(StockLevelView.class).returnResult().getResponseBody();
    }

    private StockLevelView awaitStock(String locationId, Predicate<StockLevelView> done) {
        AtomicReference<StockLevelView> last = new AtomicReference<>();
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
            last.set(stock(locationId));
            return done.test(last.get());
        });
        return last.get();
    }
}
