package io.channelstream.api.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import io.channelstream.api.inventory.StockController.MovementAccepted;
import io.channelstream.api.inventory.StockLevelView;
import io.channelstream.api.support.ApiIntegrationTest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;

/** A dealer's system retries a command (timeout, lost answer): the command happens once. */
class IdempotencyKeyTest extends ApiIntegrationTest {

    @LocalServerPort
    int port;

    private String depot;

    @BeforeEach
    void aDealerDepot() {
        awaitInventoryRunning();
        depot = unique("DL-IDEM");
        putLocation(depot, "440106", "D-IDEM");
        putProduct("SKU-FORMULA-900G");
    }

    @Test
    void aRetriedStockMovementIsRecordedOnceAndAnsweredWithTheFirstResult() {
        String key = unique("receipt");
        EntityExchangeResult<MovementAccepted> first = receive(key, 120);
        EntityExchangeResult<MovementAccepted> retry = receive(key, 120);

        assertThat(first.getStatus().value()).isEqualTo(202);
        assertThat(retry.getStatus().value()).isEqualTo(202);
        assertThat(retry.getResponseHeaders().getFirst(IdempotencyFilter.REPLAYED_HEADER)).isEqualTo("true");
        assertThat(first.getResponseHeaders().getFirst(IdempotencyFilter.REPLAYED_HEADER)).isNull();
        assertThat(retry.getResponseBody()).isEqualTo(first.getResponseBody());

        receive(unique("receipt"), 1); // a new command, after any duplicate on the location's partition
        assertThat(awaitStock(121).onHand()).isEqualTo(121); // not 241: the retry published nothing
    }

    @Test
    void theSameKeyWithADifferentBodyIsRefusedWith422() {
        String key = unique("receipt");
        receive(key, 120);

        web.post().uri("/api/stock-movements")
                .headers(h -> {
                    h.setBearerAuth(dealerToken("D-IDEM"));
                    h.set(IdempotencyFilter.HEADER, key);
                })
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(movement(12))
                .exchange()
                .expectStatus().isEqualTo(422)
                .expectBody().jsonPath("$.fields[0].field").isEqualTo("Idempotency-Key");
    }

    @Test
    void concurrentDuplicatesRunOnce() {
        String key = unique("receipt");
        WebClient client = WebClient.create("http://localhost:" + port);
        String token = dealerToken("D-IDEM");
        record Answer(int status, String body) {}

        List<Answer> answers = Flux.range(0, 8)
                .flatMap(i -> client.post().uri("/api/stock-movements")
                        .headers(h -> {
                            h.setBearerAuth(token);
                            h.set(IdempotencyFilter.HEADER, key);
                        })
                        .contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(movement(120))
                        .exchangeToMono(response -> response.bodyToMono(String.class)
                                .map(body -> new Answer(response.statusCode().value(), body))))
                .collectList()
                .block(Duration.ofSeconds(30));

        // one ran; the others were answered with its result, or told it was still running
        assertThat(answers).extracting(Answer::status).allSatisfy(status -> assertThat(status).isIn(202, 409))
                .contains(202);
        assertThat(answers).filteredOn(answer -> answer.status() == 202).extracting(Answer::body)
                .containsOnly(answers.stream().filter(a -> a.status() == 202).findFirst().orElseThrow().body());

        receive(unique("receipt"), 1);
        assertThat(awaitStock(121).onHand()).isEqualTo(121);
    }

    @Test
    void keysBelongToTheCallerSoTwoSystemsMayPickTheSameOne() {
        String key = unique("shared-key");
        MovementAccepted byDealer = receive(key, 5).getResponseBody();
        MovementAccepted byHq = web.post().uri("/api/stock-movements")
                .headers(h -> {
                    h.setBearerAuth(hqToken());
                    h.set(IdempotencyFilter.HEADER, key);
                })
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(movement(5))
                .exchange()
                .expectStatus().isAccepted()
                .expectHeader().doesNotExist(IdempotencyFilter.REPLAYED_HEADER)
                .expectBody(MovementAccepted.class).returnResult().getResponseBody();
        assertThat(byHq.eventId()).isNotEqualTo(byDealer.eventId());
    }

    @Test
    void anOverlongKeyIsRefusedNamingTheHeader() {
        web.post().uri("/api/stock-movements")
                .headers(h -> {
                    h.setBearerAuth(dealerToken("D-IDEM"));
                    h.set(IdempotencyFilter.HEADER, "k".repeat(300));
                })
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(movement(1))
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.fields[0].field").isEqualTo("Idempotency-Key");
    }

    private EntityExchangeResult<MovementAccepted> receive(String key, int quantity) {
        return web.post().uri("/api/stock-movements")
                .headers(h -> {
                    h.setBearerAuth(dealerToken("D-IDEM"));
                    h.set(IdempotencyFilter.HEADER, key);
                })
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(movement(quantity))
                .exchange()
                .expectStatus().isAccepted()
                .expectBody(MovementAccepted.class).returnResult();
    }

    private String movement(int quantity) {
        return """
                {"locationId": "%s", "sku": "SKU-FORMULA-900G", "batch": "B2026-01", "kind": "RECEIPT",
                 "quantity": %d, "productionDate": "2026-01-10", "expiryDate": "2027-07-10"}
                """.formatted(depot, quantity);
    }

    private StockLevelView awaitStock(long onHand) {
        AtomicReference<StockLevelView> last = new AtomicReference<>();
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            StockLevelView level = web.get().uri("/api/locations/{l}/stock/{s}", depot, "SKU-FORMULA-900G")
                    .headers(h -> h.setBearerAuth(hqToken()))
                    .exchange()
                    .returnResult(StockLevelView.class).getResponseBody().blockFirst();
            last.set(level);
            return level != null && level.onHand() >= onHand;
        });
        return last.get();
    }
}
